"""A local stand-in for the Telegram Bot API: an aiohttp server on 127.0.0.1 for tests.

It serves the methods the bot uses, keeps the chats, messages, files and callback
queries it has seen, records every call, and refuses what Telegram refuses (HTML it
cannot parse, text over 4,096 characters after parsing, `callback_data` over 64 bytes,
editing a message into itself, unanswerable callback ids) with Telegram-shaped errors.
Updates are fed by the test and served by long polling (`getUpdates`) or POSTed to the
webhook once one is set, like Telegram does.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

TOKEN = "123456789:AAFakeTokenForTestsOnly_abcdefghijklmn"
BOT_USER = {
    "id": 123456789,
    "is_bot": True,
    "first_name": "Văn kiện",
    "username": "vankien_test_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": True,
}
MAX_TEXT = 4096
MAX_CALLBACK_DATA = 64
MAX_DOWNLOAD = 20 * 1024 * 1024
MAX_PHOTO = 10 * 1024 * 1024  # sendPhoto
MAX_CAPTION = 1024
ALLOWED_TAGS = {
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler",
    "a", "tg-emoji", "code", "pre", "blockquote",
}
NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
STRING_PARAMS = {
    "text", "caption", "parse_mode", "callback_query_id", "inline_query_id", "file_id",
    "next_offset", "url", "secret_token", "description", "short_description", "name",
    "language_code", "action", "message_text", "switch_pm_text", "switch_pm_parameter",
    "question", "explanation",
}
SENDING = {"sendMessage", "editMessageText", "sendChatAction", "sendDocument", "sendPhoto", "sendPoll"}
MAX_POLL_QUESTION, MAX_POLL_OPTION, MAX_POLL_EXPLANATION = 300, 100, 200


class ApiError(Exception):
    """A Telegram error response: status code, description and optional parameters."""

    def __init__(self, code: int, description: str, parameters: dict | None = None) -> None:
        super().__init__(description)
        self.code, self.description, self.parameters = code, description, parameters


def bad(description: str) -> ApiError:
    """A 400 'Bad Request: …' error."""
    return ApiError(400, f"Bad Request: {description}")


# -- Telegram HTML, checked like Telegram does -------------------------------------------


def utf16_len(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def _byte_offset(text: str, i: int) -> int:
    return len(text[:i].encode())


def _read_attrs(text: str, i: int) -> tuple[dict[str, str], int]:
    """Parse `name="value"` attributes from `i` up to and including '>'."""
    attrs: dict[str, str] = {}
    n = len(text)
    while i < n:
        while i < n and text[i] in " \t\r\n":
            i += 1
        if i < n and text[i] == ">":
            return attrs, i + 1
        m = re.compile(r"[A-Za-z-]+").match(text, i)
        if not m:
            break
        name, i = m.group().lower(), m.end()
        value = ""
        if i < n and text[i] == "=":
            i += 1
            if i < n and text[i] in "\"'":
                end = text.find(text[i], i + 1)
                if end < 0:
                    break
                value, i = text[i + 1 : end], end + 1
            else:
                m = re.compile(r"[^\s>]*").match(text, i)
                value, i = (m.group(), m.end()) if m else ("", i)
        attrs[name] = _decode_entities(value)
    raise ApiError(400, "Bad Request: can't parse entities: Unclosed start tag")


def _decode_entities(text: str) -> str:
    def repl(m: re.Match[str]) -> str:
        body = m.group(1)
        if body.startswith("#x") or body.startswith("#X"):
            return chr(int(body[2:], 16))
        if body.startswith("#"):
            return chr(int(body[1:]))
        return NAMED_ENTITIES.get(body, m.group())

    return re.sub(r"&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]+);", repl, text)


def parse_html(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Telegram's HTML parse mode: the plain text and its entities, or an ApiError."""
    plain: list[str] = []
    entities: list[dict[str, Any]] = []
    stack: list[tuple[str, int, dict[str, str]]] = []
    pos, i, n = 0, 0, len(text)
    while i < n:
        if text[i] != "<":
            j = text.find("<", i)
            j = n if j < 0 else j
            chunk = _decode_entities(text[i:j])
            plain.append(chunk)
            pos += utf16_len(chunk)
            i = j
            continue
        where = _byte_offset(text, i)
        if text.startswith("</", i):
            end = text.find(">", i)
            if end < 0:
                raise _entities_error(f"Unclosed end tag at byte offset {where}")
            name = text[i + 2 : end].strip().lower()
            if not stack:
                raise _entities_error(f'Unexpected end tag at byte offset {where}')
            if stack[-1][0] != name:
                raise _entities_error(
                    f'Unmatched end tag at byte offset {where}, expected "</{stack[-1][0]}>", '
                    f'found "</{name}>"'
                )
            tag, start, attrs = stack.pop()
            entities.append(_entity(tag, start, pos - start, attrs, where))
            i = end + 1
            continue
        m = re.compile(r"[A-Za-z][A-Za-z0-9-]*").match(text, i + 1)
        if not m:
            raise _entities_error(f"Empty tag name at byte offset {where}")
        name = m.group().lower()
        if name not in ALLOWED_TAGS:
            raise _entities_error(f'Unsupported start tag "{name}" at byte offset {where}')
        try:
            attrs, i = _read_attrs(text, m.end())
        except ApiError:
            raise _entities_error(f"Unclosed start tag at byte offset {where}") from None
        if name == "blockquote" and any(t == "blockquote" for t, _, _ in stack):
            raise _entities_error(f"Nested blockquote entities at byte offset {where}")
        stack.append((name, pos, attrs))
    if stack:
        raise _entities_error(
            f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"'
        )
    return "".join(plain), [e for e in entities if e["length"] > 0 and e["type"]]


def _entities_error(detail: str) -> ApiError:
    return bad(f"can't parse entities: {detail}")


def _entity(tag: str, offset: int, length: int, attrs: dict[str, str], where: int) -> dict:
    kinds = {
        "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline",
        "ins": "underline", "s": "strikethrough", "strike": "strikethrough",
        "del": "strikethrough", "tg-spoiler": "spoiler", "code": "code", "pre": "pre",
        "tg-emoji": "custom_emoji",
    }
    entity: dict[str, Any] = {"offset": offset, "length": length}
    if tag == "span":
        if attrs.get("class") != "tg-spoiler":
            raise _entities_error(f'Tag "span" must have class "tg-spoiler" at byte offset {where}')
        entity["type"] = "spoiler"
    elif tag == "a":
        href = attrs.get("href", "")
        if not re.match(r"^(https?://|tg://)\S+$", href):
            entity["type"] = ""  # Telegram silently drops links it cannot use
        else:
            entity.update(type="text_link", url=href)
    elif tag == "blockquote":
        entity["type"] = "expandable_blockquote" if "expandable" in attrs else "blockquote"
    else:
        entity["type"] = kinds[tag]
    return entity


def check_text(text: Any, parse_mode: str | None) -> tuple[str, list[dict[str, Any]]]:
    """Validate a message text as Telegram would; return the parsed text and entities."""
    if not isinstance(text, str) or not text.strip():
        raise bad("message text is empty")
    if parse_mode is None:
        plain, entities = text, []
    elif parse_mode.upper() == "HTML":
        plain, entities = parse_html(text)
    else:
        raise bad(f"unsupported parse_mode {parse_mode!r} in the stand-in")
    if not plain.strip():
        raise bad("message text is empty")
    if utf16_len(plain) > MAX_TEXT:
        raise bad("message is too long")
    return plain, entities


def check_markup(markup: Any) -> None:
    """Validate an inline keyboard like Telegram does."""
    if markup is None:
        return
    if not isinstance(markup, dict):
        raise bad("can't parse reply keyboard markup JSON object")
    rows = markup.get("inline_keyboard")
    if rows is None:
        return
    for row in rows:
        for button in row:
            if not button.get("text"):
                raise bad("text buttons are unallowed in the inline keyboard")
            data = button.get("callback_data")
            if data is not None and not 1 <= len(data.encode()) <= MAX_CALLBACK_DATA:
                raise bad("BUTTON_DATA_INVALID")
            url = button.get("url")
            if url is not None and not re.match(r"^(https?|tg)://\S+$", url):
                raise bad("BUTTON_URL_INVALID")


# -- the server ----------------------------------------------------------------------------


@dataclass
class Call:
    """One request the bot made."""

    method: str
    params: dict[str, Any]
    at: float
    ok: bool = True
    result: Any = None
    error: str | None = None
    late: bool = False  # done, but answered after a planned delay (`slow`)


@dataclass
class Failure:
    """An error to return instead of the real result, `times` times, when `when(params)`."""

    method: str
    code: int
    description: str
    parameters: dict | None = None
    times: int = 1
    when: Callable[[dict[str, Any]], bool] | None = None
    drop: bool = False  # close the connection without answering (a network failure)
    until: float | None = None  # an outage: every matching call fails until this monotonic time
    delay: float = 0.0  # a slow answer: the call is done, its answer held back this long


@dataclass
class Chat:
    """A chat the stand-in knows."""

    id: int
    type: str = "private"
    title: str | None = None
    is_forum: bool = False
    first_name: str | None = None
    admins: set[int] = field(default_factory=set)  # users getChatMember reports as administrators

    def json(self) -> dict[str, Any]:
        """As Telegram serializes a Chat."""
        data: dict[str, Any] = {"id": self.id, "type": self.type}
        if self.title:
            data["title"] = self.title
        if self.first_name:
            data["first_name"] = self.first_name
        if self.is_forum:
            data["is_forum"] = True
        return data


@dataclass
class FakeTelegram:
    """The stand-in server. `await start()`, feed updates, inspect `calls`, `await stop()`."""

    token: str = TOKEN
    host: str = "127.0.0.1"
    port: int = 0
    calls: list[Call] = field(default_factory=list)
    chats: dict[int, Chat] = field(default_factory=dict)
    messages: dict[tuple[int, int], dict[str, Any]] = field(default_factory=dict)
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    callback_queries: dict[str, bool] = field(default_factory=dict)
    inline_queries: dict[str, Any] = field(default_factory=dict)
    served_at: dict[int, float] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)
    blocked: set[int] = field(default_factory=set)
    migrated: dict[int, int] = field(default_factory=dict)
    webhook: dict[str, Any] | None = None
    commands: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    polls: dict[str, dict[str, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._updates: list[dict[str, Any]] = []
        self._new_update = asyncio.Event()
        self._called = asyncio.Event()
        self._ids = itertools.count(1)
        self._update_ids = itertools.count(1)
        self._message_ids: dict[int, itertools.count] = {}
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None
        self._closing = False

    # -- life cycle ------------------------------------------------------------------------

    async def start(self) -> FakeTelegram:
        """Listen on 127.0.0.1 (a free port unless one was given)."""
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self._session = aiohttp.ClientSession()
        return self

    async def stop(self) -> None:
        """Close the server and any webhook session (pending long polls return at once)."""
        self._closing = True
        self._new_update.set()
        if self._session:
            await self._session.close()
        if self._runner:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        """python-telegram-bot's `base_url` for this server."""
        return f"http://{self.host}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """python-telegram-bot's `base_file_url` for this server."""
        return f"http://{self.host}:{self.port}/file/bot"

    # -- what tests feed -------------------------------------------------------------------

    def chat(self, chat_id: int, type: str = "private", title: str | None = None,
             is_forum: bool = False) -> Chat:
        """Register (or fetch) a chat."""
        if chat_id not in self.chats:
            first = None if type != "private" else f"Người dùng {chat_id}"
            self.chats[chat_id] = Chat(chat_id, type, title, is_forum, first)
        return self.chats[chat_id]

    @staticmethod
    def user(user_id: int, first_name: str = "Minh") -> dict[str, Any]:
        """A Telegram User object."""
        return {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": "vi"}

    def push(self, update: dict[str, Any]) -> int:
        """Queue one update (given without update_id); returns its update_id."""
        update = {"update_id": next(self._update_ids), **update}
        self._updates.append(update)
        self._new_update.set()
        if self.webhook:
            asyncio.get_running_loop().create_task(self._post_webhook(update))
        return update["update_id"]

    def send_text(self, chat_id: int, user_id: int, text: str, *, thread_id: int | None = None,
                  reply_to: dict[str, Any] | None = None) -> dict[str, Any]:
        """A user writes `text` in a chat: store the message and queue its update."""
        chat = self.chats.get(chat_id) or self.chat(chat_id)
        msg = self._new_message(chat, self.user(user_id), thread_id)
        msg["text"] = text
        entities = text_entities(text)
        if entities:
            msg["entities"] = entities
        if reply_to is not None:
            msg["reply_to_message"] = reply_to
            if chat.is_forum and thread_id is None and reply_to.get("message_thread_id"):
                msg["message_thread_id"] = reply_to["message_thread_id"]
                msg["is_topic_message"] = True
        self.push({"message": msg})
        return msg

    def send_document(self, chat_id: int, user_id: int, file_name: str, data: bytes,
                      mime_type: str = "application/pdf", caption: str | None = None,
                      file_size: int | None = None) -> dict[str, Any]:
        """A user sends a file; it becomes downloadable through getFile."""
        chat = self.chats.get(chat_id) or self.chat(chat_id)
        file_id = f"DOC{next(self._ids)}"
        self.files[file_id] = (f"documents/{file_id}_{file_name}", data)
        msg = self._new_message(chat, self.user(user_id), None)
        msg["document"] = {
            "file_id": file_id, "file_unique_id": f"U{file_id}", "file_name": file_name,
            "mime_type": mime_type, "file_size": file_size if file_size is not None else len(data),
        }
        if caption:
            msg["caption"] = caption
        self.push({"message": msg})
        return msg

    def press(self, message: dict[str, Any], data: str, user_id: int) -> str:
        """A user presses an inline button of a bot message; returns the callback id."""
        query_id = f"CQ{next(self._ids)}"
        self.callback_queries[query_id] = False
        self.push({"callback_query": {
            "id": query_id, "from": self.user(user_id), "message": message,
            "chat_instance": str(message["chat"]["id"]), "data": data,
        }})
        return query_id

    def inline(self, user_id: int, query: str, chat_type: str = "private") -> str:
        """A user types `@bot query` somewhere; returns the inline query id."""
        query_id = f"IQ{next(self._ids)}"
        self.inline_queries[query_id] = None
        self.push({"inline_query": {
            "id": query_id, "from": self.user(user_id), "query": query, "offset": "",
            "chat_type": chat_type,
        }})
        return query_id

    def answer_poll(self, poll_id: str, user_id: int, option_ids: list[int]) -> None:
        """A user answers a non-anonymous poll (Telegram sends such answers to the bot only)."""
        poll = self.polls[poll_id]
        if poll["is_anonymous"]:
            raise AssertionError("Telegram sends no poll_answer for an anonymous poll")
        self.push({"poll_answer": {"poll_id": poll_id, "user": self.user(user_id), "option_ids": option_ids,
                                   "option_persistent_ids": [poll["options"][i]["persistent_id"] for i in option_ids]}})

    def fail(self, method: str, code: int, description: str, parameters: dict | None = None,
             times: int = 1, when: Callable[[dict[str, Any]], bool] | None = None) -> None:
        """Make the next `times` matching calls of `method` fail with this error."""
        self.failures.append(Failure(method, code, description, parameters, times, when))

    def drop(self, method: str, times: int = 1,
             when: Callable[[dict[str, Any]], bool] | None = None) -> None:
        """Make the next `times` matching calls of `method` lose their connection."""
        self.failures.append(Failure(method, 0, "connection dropped", None, times, when, True))

    def outage(self, method: str, seconds: float, code: int = 502,
               description: str = "Bad Gateway", drop: bool = False) -> None:
        """Make every call of `method` fail for the next `seconds` (an error, or a dropped
        connection with `drop`)."""
        until = time.monotonic() + seconds
        self.failures.append(Failure(method, code, description, None, 1, None, drop, until))
        self._new_update.set()  # a long poll waiting now fails too

    def _outage(self, method: str) -> Failure | None:
        """The outage of `method` going on now, if any."""
        now = time.monotonic()
        return next((f for f in self.failures if f.method == method and f.until is not None
                     and now < f.until), None)

    def slow(self, method: str, seconds: float, times: int = 1,
             when: Callable[[dict[str, Any]], bool] | None = None) -> None:
        """Do the next `times` matching calls but hold their answer back `seconds` (a client
        that gives up waiting has still had its message sent, as with Telegram)."""
        self.failures.append(Failure(method, 0, "slow", None, times, when, delay=seconds))

    # -- what tests inspect ----------------------------------------------------------------

    def calls_of(self, method: str, ok: bool | None = True) -> list[Call]:
        """Recorded calls of one method (successful ones unless `ok` says otherwise)."""
        return [c for c in self.calls if c.method == method and (ok is None or c.ok == ok)]

    async def wait_call(self, method: str, when: Callable[[Call], bool] | None = None,
                        timeout: float = 15.0, after: int = 0) -> Call:
        """Wait for a successful call of `method` (the first after index `after`)."""
        deadline = time.monotonic() + timeout
        while True:
            for call in self.calls[after:]:
                if call.method == method and call.ok and (when is None or when(call)):
                    return call
            left = deadline - time.monotonic()
            if left <= 0:
                seen = [(c.method, c.error or "") for c in self.calls[after:]]
                raise TimeoutError(f"no {method} call within {timeout}s; saw {seen}")
            self._called.clear()
            try:
                await asyncio.wait_for(self._called.wait(), min(left, 0.5))
            except TimeoutError:
                pass

    async def settle(self, quiet: float = 0.3) -> None:
        """Wait until the bot has made no call for `quiet` seconds."""
        count = -1
        while count != len(self.calls):
            count = len(self.calls)
            await asyncio.sleep(quiet)

    # -- HTTP --------------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await _read_params(request)
        call = Call(method, params, time.monotonic())
        if request.match_info["token"] != self.token:
            return _error_response(ApiError(401, "Unauthorized"))
        try:
            if self._inject_failure(method, params):
                call.ok, call.error = False, "connection dropped"
                self.calls.append(call)
                self._called.set()
                assert request.transport is not None
                request.transport.close()
                return web.Response(status=500)
            handler = getattr(self, f"_api_{method}", None)
            if handler is None:
                raise ApiError(404, "Not Found")
            call.result = await handler(params)
            response = web.json_response({"ok": True, "result": call.result})
            if delay := self._planned_delay(method, params):
                call.late = True
                self.calls.append(call)  # done now, answered late
                self._called.set()
                await asyncio.sleep(delay)
                return response
        except ApiError as exc:
            call.ok, call.error = False, exc.description
            response = _error_response(exc)
        if method != "getUpdates" or call.result or not call.ok:
            self.calls.append(call)
            self._called.set()
        return response

    async def _download(self, request: web.Request) -> web.Response:
        path = request.match_info["path"]
        for file_path, data in self.files.values():
            if file_path == path:
                return web.Response(body=data)
        return web.Response(status=404, text="Not Found")

    def _inject_failure(self, method: str, params: dict[str, Any]) -> bool:
        """Raise the error planned for this call; True if the connection should drop."""
        for failure in self.failures:
            if not failure.delay and _due(failure, method, params):
                if failure.drop:
                    return True
                raise ApiError(failure.code, failure.description, failure.parameters)
        chat_id = _int_or_none(params.get("chat_id"))
        if method in SENDING and chat_id in self.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if method in SENDING and chat_id in self.migrated:
            raise ApiError(400, "Bad Request: group chat was upgraded to a supergroup chat",
                           {"migrate_to_chat_id": self.migrated[chat_id]})
        return False

    def _planned_delay(self, method: str, params: dict[str, Any]) -> float:
        """Seconds to hold back the answer of this call (`slow`), 0 for most."""
        return sum(f.delay for f in self.failures if f.delay and _due(f, method, params))

    async def _post_webhook(self, update: dict[str, Any]) -> None:
        assert self.webhook and self._session
        headers = {}
        if self.webhook.get("secret_token"):
            headers["X-Telegram-Bot-Api-Secret-Token"] = self.webhook["secret_token"]
        self.served_at[update["update_id"]] = time.monotonic()
        async with self._session.post(self.webhook["url"], json=update, headers=headers) as r:
            await r.read()

    # -- messages ----------------------------------------------------------------------------

    def _new_message(self, chat: Chat, sender: dict[str, Any],
                     thread_id: int | None) -> dict[str, Any]:
        counter = self._message_ids.setdefault(chat.id, itertools.count(1))
        msg: dict[str, Any] = {
            "message_id": next(counter), "date": int(time.time()), "chat": chat.json(),
            "from": sender,
        }
        if thread_id is not None:
            msg["message_thread_id"] = thread_id
            if chat.is_forum:
                msg["is_topic_message"] = True
        self.messages[(chat.id, msg["message_id"])] = msg
        return msg

    def _chat_for(self, params: dict[str, Any]) -> Chat:
        chat_id = _int_or_none(params.get("chat_id"))
        if chat_id is None or chat_id not in self.chats:
            raise bad("chat not found")
        return self.chats[chat_id]

    def _reply_target(self, chat: Chat, params: dict[str, Any]) -> dict[str, Any] | None:
        reply = params.get("reply_parameters") or {}
        message_id = reply.get("message_id") or params.get("reply_to_message_id")
        if not message_id:
            return None
        target = self.messages.get((chat.id, int(message_id)))
        if target is None and not reply.get("allow_sending_without_reply"):
            raise bad("message to be replied not found")
        return target

    def _thread(self, chat: Chat, params: dict[str, Any]) -> int | None:
        thread_id = _int_or_none(params.get("message_thread_id"))
        if thread_id is not None and not chat.is_forum and chat.type != "private":
            raise bad("message thread not found")
        return thread_id

    # -- the Bot API methods -----------------------------------------------------------------

    async def _api_getMe(self, params: dict[str, Any]) -> dict[str, Any]:
        return BOT_USER

    async def _api_logOut(self, params: dict[str, Any]) -> bool:
        return True

    async def _api_close(self, params: dict[str, Any]) -> bool:
        return True

    async def _api_getUpdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        if self.webhook:
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active; "
                           "use deleteWebhook to delete the webhook first")
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        deadline = time.monotonic() + float(params.get("timeout") or 0)
        while True:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
            down = self._outage("getUpdates")
            if down:
                raise ApiError(down.code or 502, down.description)
            if self._updates or self._closing or time.monotonic() >= deadline:
                break
            self._new_update.clear()
            try:
                await asyncio.wait_for(self._new_update.wait(), deadline - time.monotonic())
            except TimeoutError:
                pass
        batch = self._updates[:limit]
        now = time.monotonic()
        for update in batch:
            self.served_at.setdefault(update["update_id"], now)
        return batch

    async def _api_setWebhook(self, params: dict[str, Any]) -> bool:
        url = params.get("url") or ""
        if not url:
            self.webhook = None
            return True
        if not re.match(r"^https?://", url):
            raise bad("bad webhook: An HTTPS URL must be provided for webhook")
        secret = params.get("secret_token")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", str(secret)):
            raise bad("bad webhook: secret token contains unallowed characters")
        self.webhook = {"url": url, "secret_token": secret}
        return True

    async def _api_deleteWebhook(self, params: dict[str, Any]) -> bool:
        self.webhook = None
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    async def _api_getWebhookInfo(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"url": (self.webhook or {}).get("url", ""), "has_custom_certificate": False,
                "pending_update_count": len(self._updates)}

    async def _api_setMyCommands(self, params: dict[str, Any]) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise bad("BOT_COMMANDS_TOO_MUCH")
        for command in commands:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", command.get("command", "")):
                raise bad("BOT_COMMAND_INVALID")
            if not 1 <= len(command.get("description", "")) <= 256:
                raise bad("BOT_COMMAND_DESCRIPTION_INVALID")
        scope = params.get("scope") or {"type": "default"}
        if scope.get("chat_id") is not None and _int_or_none(scope["chat_id"]) not in self.chats:
            raise bad("chat not found")
        self.commands[json.dumps(scope, sort_keys=True)] = commands
        return True

    async def _api_getMyCommands(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        scope = params.get("scope") or {"type": "default"}
        return self.commands.get(json.dumps(scope, sort_keys=True), [])

    async def _api_getChatMember(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat_for(params)
        user_id = _int_or_none(params.get("user_id"))
        if user_id is None:
            raise bad("PARTICIPANT_ID_INVALID")
        member: dict[str, Any] = {"user": self.user(user_id), "status": "member"}
        if chat.type == "private" or user_id in chat.admins:
            member.update(status="administrator", can_be_edited=False, is_anonymous=False,
                          can_manage_chat=True, can_delete_messages=True,
                          can_manage_video_chats=True, can_restrict_members=True,
                          can_promote_members=False, can_change_info=True, can_invite_users=True,
                          can_post_stories=False, can_edit_stories=False,
                          can_delete_stories=False)
        return member

    async def _api_sendChatAction(self, params: dict[str, Any]) -> bool:
        self._chat_for(params)
        return True

    async def _api_sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat_for(params)
        plain, entities = check_text(params.get("text"), params.get("parse_mode"))
        check_markup(params.get("reply_markup"))
        thread_id = self._thread(chat, params)
        target = self._reply_target(chat, params)
        if target is not None and thread_id is None and target.get("is_topic_message"):
            thread_id = target.get("message_thread_id")
        msg = self._new_message(chat, BOT_USER, thread_id)
        msg["text"] = plain
        msg["html"] = params.get("text")  # not a Telegram field: what the bot sent, for tests
        if entities:
            msg["entities"] = entities
        if target is not None:
            msg["reply_to_message"] = {k: v for k, v in target.items() if k != "reply_to_message"}
        if params.get("reply_markup"):
            msg["reply_markup"] = params["reply_markup"]
        return msg

    async def _api_sendPoll(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat_for(params)
        poll = check_poll(params)
        check_markup(params.get("reply_markup"))
        msg = self._new_message(chat, BOT_USER, self._thread(chat, params))
        poll["id"] = f"P{next(self._ids)}"
        self.polls[poll["id"]] = poll
        msg["poll"] = poll
        if params.get("reply_markup"):
            msg["reply_markup"] = params["reply_markup"]
        return msg

    async def _api_sendDocument(self, params: dict[str, Any]) -> dict[str, Any]:
        """A file uploaded as multipart form data (its bytes in the call's `params["document"]`)."""
        chat = self._chat_for(params)
        upload = params.get("document")
        if not isinstance(upload, web.FileField):
            raise bad("there is no document in the request")  # file ids and URLs: not kept here
        data = params["document"] = upload.file.read()
        if not data:
            raise bad("file must be non-empty")
        check_markup(params.get("reply_markup"))
        msg = self._new_message(chat, BOT_USER, self._thread(chat, params))
        file_id = f"D{next(self._ids)}"
        self.files[file_id] = (f"documents/{upload.filename}", data)
        msg["document"] = {"file_id": file_id, "file_unique_id": f"U{file_id}", "file_name": upload.filename,
                           "file_size": len(data)}
        return msg

    async def _api_sendPhoto(self, params: dict[str, Any]) -> dict[str, Any]:
        """A photo uploaded as multipart form data (tests find its bytes in the call's
        `params["photo"]`), with an optional caption; refused like Telegram refuses."""
        chat = self._chat_for(params)
        photo = params.get("photo")
        if not isinstance(photo, web.FileField):
            raise bad("there is no photo in the request")  # file ids and URLs: not kept here
        data = params["photo"] = photo.file.read()
        width, height = _image_size(data)
        if len(data) > MAX_PHOTO:
            raise bad("PHOTO_INVALID_DIMENSIONS")
        plain, entities = check_text(params["caption"], params.get("parse_mode")) if params.get("caption") else ("", [])
        if utf16_len(plain) > MAX_CAPTION:
            raise bad("message caption is too long")
        check_markup(params.get("reply_markup"))
        msg = self._new_message(chat, BOT_USER, self._thread(chat, params))
        file_id = f"P{next(self._ids)}"
        self.files[file_id] = (f"photos/{file_id}.png", data)
        msg["photo"] = [{"file_id": file_id, "file_unique_id": f"U{file_id}", "width": width,
                         "height": height, "file_size": len(data)}]
        if params.get("caption"):
            msg["caption"] = plain
            if entities:
                msg["caption_entities"] = entities
        target = self._reply_target(chat, params)
        if target is not None:
            msg["reply_to_message"] = {k: v for k, v in target.items() if k != "reply_to_message"}
        return msg

    async def _api_editMessageText(self, params: dict[str, Any]) -> dict[str, Any]:
        if params.get("inline_message_id"):
            raise bad("inline messages are not kept by the stand-in")
        chat = self._chat_for(params)
        msg = self.messages.get((chat.id, int(params.get("message_id") or 0)))
        if msg is None:
            raise bad("message to edit not found")
        if msg["from"]["id"] != BOT_USER["id"]:
            raise bad("message can't be edited")
        plain, entities = check_text(params.get("text"), params.get("parse_mode"))
        markup = params.get("reply_markup")
        check_markup(markup)
        if plain == msg["text"] and entities == msg.get("entities", []) and (
            markup == msg.get("reply_markup")
        ):
            raise bad("message is not modified: specified new message content and reply "
                      "markup are exactly the same as a current content and reply markup "
                      "of the message")
        msg.update(text=plain, html=params.get("text"), entities=entities)
        msg.pop("reply_markup", None)
        if markup:
            msg["reply_markup"] = markup
        return msg

    async def _api_editMessageReplyMarkup(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat_for(params)
        msg = self.messages.get((chat.id, int(params.get("message_id") or 0)))
        if msg is None:
            raise bad("message to edit not found")
        markup = params.get("reply_markup")
        check_markup(markup)
        if markup == msg.get("reply_markup"):
            raise bad("message is not modified: specified new message content and reply "
                      "markup are exactly the same as a current content and reply markup "
                      "of the message")
        msg.pop("reply_markup", None)
        if markup:
            msg["reply_markup"] = markup
        return msg

    async def _api_deleteMessage(self, params: dict[str, Any]) -> bool:
        chat = self._chat_for(params)
        if self.messages.pop((chat.id, int(params.get("message_id") or 0)), None) is None:
            raise bad("message to delete not found")
        return True

    async def _api_answerCallbackQuery(self, params: dict[str, Any]) -> bool:
        query_id = params.get("callback_query_id")
        if self.callback_queries.get(query_id, True):
            raise bad("query is too old and response timeout expired or query ID is invalid")
        if len(params.get("text") or "") > 200:
            raise bad("MESSAGE_TOO_LONG")
        self.callback_queries[query_id] = True
        return True

    async def _api_answerInlineQuery(self, params: dict[str, Any]) -> bool:
        query_id = params.get("inline_query_id")
        if query_id not in self.inline_queries or self.inline_queries[query_id] is not None:
            raise bad("query is too old and response timeout expired or query ID is invalid")
        results = params.get("results")
        if not isinstance(results, list) or len(results) > 50:
            raise bad("RESULTS_TOO_MUCH")
        ids = [str(r.get("id", "")) for r in results]
        if len(set(ids)) != len(ids):
            raise bad("RESULT_ID_DUPLICATE")
        for result in results:
            _check_inline_result(result)
        self.inline_queries[query_id] = results
        return True

    async def _api_getFile(self, params: dict[str, Any]) -> dict[str, Any]:
        file_id = params.get("file_id")
        if file_id not in self.files:
            raise bad("invalid file_id")
        path, data = self.files[file_id]
        if len(data) > MAX_DOWNLOAD:
            raise bad("file is too big")
        return {"file_id": file_id, "file_unique_id": f"U{file_id}", "file_size": len(data),
                "file_path": path}


def check_poll(params: dict[str, Any]) -> dict[str, Any]:
    """A Poll as Telegram builds it from sendPoll, after Telegram's checks of the limits."""
    question = params.get("question")
    if isinstance(question, str) and question.strip() and params.get("question_parse_mode"):
        question, _ = check_text(question, params.get("question_parse_mode"))
    if not isinstance(question, str) or not 1 <= len(question) <= MAX_POLL_QUESTION:
        raise bad("POLL_QUESTION_INVALID")
    options = [o.get("text") if isinstance(o, dict) else o for o in params.get("options") or []]
    if not 2 <= len(options) <= 10:
        raise bad("POLL_OPTIONS_COUNT_INVALID")
    if any(not isinstance(o, str) or not 1 <= len(o) <= MAX_POLL_OPTION for o in options):
        raise bad("POLL_OPTION_INVALID")
    if len(set(options)) != len(options):
        raise bad("POLL_OPTION_DUPLICATE")
    kind = params.get("type") or "regular"
    ids = params.get("correct_option_ids")  # Bot API 9.6; `correct_option_id` before it
    correct = _int_or_none(ids[0] if isinstance(ids, list) and len(ids) == 1 else params.get("correct_option_id"))
    if kind == "quiz" and (correct is None or not 0 <= correct < len(options)):
        raise bad("POLL_CORRECT_OPTION_INVALID" if correct is not None else "POLL_ANSWERS_INVALID")
    explanation = params.get("explanation")
    if explanation is not None:
        plain, _ = check_text(explanation, params.get("explanation_parse_mode"))
        if len(plain) > MAX_POLL_EXPLANATION or plain.count("\n") > 2:
            raise bad("POLL_EXPLANATION_TOO_LONG" if len(plain) > MAX_POLL_EXPLANATION else "POLL_EXPLANATION_INVALID")
    anonymous = params.get("is_anonymous")
    return {"question": question, "options": [{"text": o, "voter_count": 0, "persistent_id": str(i)}
                                              for i, o in enumerate(options)],
            "total_voter_count": 0, "is_closed": False,
            "is_anonymous": anonymous is not False and anonymous != "false", "type": kind,
            "allows_multiple_answers": False, "correct_option_id": correct, "correct_option_ids": [correct],
            "explanation": explanation, "allows_revoting": False, "members_only": False}


def _check_inline_result(result: dict[str, Any]) -> None:
    """Validate one InlineQueryResult (articles are what the bot sends)."""
    if not 1 <= len(str(result.get("id", "")).encode()) <= 64:
        raise bad("RESULT_ID_INVALID")
    if result.get("type") == "article" and not result.get("title"):
        raise bad("RESULT_TITLE_EMPTY")
    content = result.get("input_message_content") or {}
    if "message_text" in content:
        check_text(content["message_text"], content.get("parse_mode"))
    check_markup(result.get("reply_markup"))


def _image_size(data: bytes) -> tuple[int, int]:
    """(width, height) of a PNG, (0, 0) of a JPEG; anything else Telegram cannot process."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR":
        return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    if data[:3] == b"\xff\xd8\xff":
        return 0, 0
    raise bad("IMAGE_PROCESS_FAILED")


def text_entities(text: str) -> list[dict[str, Any]]:
    """The entities Telegram derives from typed text: a leading bot command, @mentions."""
    entities = []
    command = re.match(r"/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]{5,32})?", text)
    if command:
        entities.append({"type": "bot_command", "offset": 0, "length": utf16_len(command.group())})
    for m in re.finditer(r"(?<![\w/])@[A-Za-z0-9_]{5,32}", text):
        if command and m.start() < command.end():
            continue
        entities.append({"type": "mention", "offset": utf16_len(text[: m.start()]),
                         "length": utf16_len(m.group())})
    return entities


async def _read_params(request: web.Request) -> dict[str, Any]:
    """Form, multipart, JSON or query parameters, JSON-decoded like Telegram does."""
    raw: dict[str, Any] = dict(request.query)
    if request.content_type == "application/json":
        raw.update(await request.json())
        return raw
    if request.can_read_body:
        raw.update(await request.post())
    return {key: _decode_param(key, value) for key, value in raw.items()}


def _decode_param(key: str, value: Any) -> Any:
    if not isinstance(value, str) or key in STRING_PARAMS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def _due(failure: Failure, method: str, params: dict[str, Any]) -> bool:
    """Whether `failure` applies to this call (counting it down when it does)."""
    if failure.method != method:
        return False
    if failure.until is not None:
        return time.monotonic() < failure.until
    if failure.times <= 0 or (failure.when is not None and not failure.when(params)):
        return False
    failure.times -= 1
    return True


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _error_response(exc: ApiError) -> web.Response:
    body: dict[str, Any] = {"ok": False, "error_code": exc.code, "description": exc.description}
    if exc.parameters:
        body["parameters"] = exc.parameters
    return web.json_response(body, status=exc.code)
