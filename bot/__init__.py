"""vankien surfaces: the Telegram bot, the `vankien` command line and the console chat."""
