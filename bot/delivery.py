"""Bot API calls that survive transient faults: bounded retries beside the rate limiter.

`RetryingRateLimiter` is PTB's `AIORateLimiter` (throttling, and waiting out a 429's
`retry_after`) with one more loop around it: a call that fails for a transient reason is
tried again after 0.5, 1, 2, 4 s (± 20 %), five attempts in all, then the error goes to
the error handler as before.

Telegram offers no idempotency key and no way for a bot to read a chat back (there is no
"get message"), so a call whose outcome is unknown cannot be checked afterwards. What a
failure proves decides what is retried:

- connection refused or timed out, no free connection in the pool, a write timeout (the
  request never reached Telegram whole): retried, whatever the method;
- an HTTP 5xx answer (Telegram said it failed) and a connection closed with no answer
  (a stale keep-alive connection or a proxy failing before the Bot API): retried;
- a read timeout, the request sent and no answer in time: the outcome is unknown. Calls
  that only set state (edits, callback answers, reads, commands) are retried, as
  repeating them changes nothing; calls that create a message (`send*`, `copy*`,
  `forward*`) are not resent: at most once, so a cadre never gets the same answer twice,
  at the price of a possible loss when Telegram really failed. The read timeout is
  generous (`SEND_READ_TIMEOUT`), so that a slow Telegram still answers in time;
- 400 (bad request), 403 (blocked), a chat migrated: not transient, never retried.

A connection closed after Telegram had sent the message would give a duplicate; Telegram
answers every request it has read, so this is the rare case, and the loss the retry
prevents is the common one.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable, Coroutine
from typing import Any

import httpx
from telegram.error import BadRequest, NetworkError, TimedOut
from telegram.ext import AIORateLimiter

log = logging.getLogger(__name__)

SEND_READ_TIMEOUT = 15.0  # seconds to wait for Telegram's answer before the outcome is unknown
CREATING = ("send", "copy", "forward")  # methods that create a message: never blindly resent
Result = bool | dict[str, Any] | list[dict[str, Any]]


def creates_message(endpoint: str) -> bool:
    """True for Bot API methods that post a new message ('sendMessage', 'copyMessage').

    >>> creates_message("sendMessage"), creates_message("editMessageText"), creates_message("sendChatAction")
    (True, False, False)
    """
    return endpoint.startswith(CREATING) and endpoint != "sendChatAction"


def outcome_unknown(err: Exception) -> bool:
    """True when the request reached Telegram whole but no answer came (a read timeout)."""
    return isinstance(err, TimedOut) and not isinstance(
        err.__cause__, httpx.ConnectTimeout | httpx.PoolTimeout | httpx.WriteTimeout
    )


def retryable(endpoint: str, err: Exception) -> bool:
    """Whether `err` from calling `endpoint` is transient and safe to try again."""
    if not isinstance(err, NetworkError) or isinstance(err, BadRequest):
        return False
    return not (outcome_unknown(err) and creates_message(endpoint))


class RetryingRateLimiter(AIORateLimiter):
    """AIORateLimiter that also retries transient faults (5xx, resets, timeouts) with a
    bounded exponential back-off; see the module docstring for what is never resent."""

    def __init__(self, *, attempts: int = 5, base_delay: float = 0.5, max_delay: float = 8.0,
                 **limits: Any) -> None:
        super().__init__(**limits)
        self.attempts, self.base_delay, self.max_delay = attempts, base_delay, max_delay

    def delay(self, attempt: int) -> float:
        """Seconds to wait after failed attempt number `attempt` (1-based), ± 20 %."""
        return min(self.max_delay, self.base_delay * 2 ** (attempt - 1)) * random.uniform(0.8, 1.2)

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Result]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Result:
        """One Bot API call: rate limited, 429s waited out, transient faults retried."""
        for attempt in range(1, self.attempts + 1):
            try:
                return await super().process_request(callback, args, kwargs, endpoint, data,
                                                      rate_limit_args)
            except NetworkError as err:
                if attempt == self.attempts or not retryable(endpoint, err):
                    note_failure(endpoint, data, err, attempt)
                    raise
                wait = self.delay(attempt)
                log.info("%s failed (%s); attempt %d of %d in %.1f s", endpoint, err, attempt + 1,
                         self.attempts, wait)
                await asyncio.sleep(wait)
        raise AssertionError("unreachable: the last attempt returns or raises")


def note_failure(endpoint: str, data: dict[str, Any], err: Exception, attempts: int) -> None:
    """One warning line for a call given up on, saying whether it may have arrived."""
    chat = data.get("chat_id")
    if outcome_unknown(err) and creates_message(endpoint):
        log.warning("%s to chat %s timed out after it was sent; not resent (at most once): %s",
                    endpoint, chat, err)
    elif not isinstance(err, BadRequest):
        log.warning("%s to chat %s failed after %d attempt(s): %s", endpoint, chat, attempts, err)
