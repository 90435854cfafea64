"""A Streamlit client without a browser: the websocket protocol (``BackMsg`` / ``ForwardMsg``).

Used by the protocol-level load (``bench/load.py``) and by the tests that resume another client's
session. Only Streamlit's generated protobuf classes (``streamlit.proto``) and the ``websockets``
package; the subprotocol header carries what Streamlit's own frontend puts there: the protocol
name, the XSRF token (none here) and, to resume a session, its id.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

MAX_MESSAGE = 64 * 1024 * 1024


@dataclass
class Run:
    """One script run seen from the client: its messages' raw bytes and how long it took."""

    frames: list[bytes] = field(default_factory=list)
    seconds: float = 0.0
    finished: bool = False

    def has_text(self, text: str) -> bool:
        needle = text.encode("utf-8")
        return any(needle in frame for frame in self.frames)


@dataclass
class Client:
    url: str  # http://host:port
    cookie: str | None = None
    session_id: str | None = None
    ws: websockets.ClientConnection | None = None
    widget_ids: dict[str, str] = field(default_factory=dict)

    async def connect(self, *, resume: str | None = None) -> None:
        ws_url = "ws" + self.url.removeprefix("http") + "/_stcore/stream"
        protocols = ["streamlit", "no-xsrf", resume] if resume else ["streamlit"]
        headers = {"Cookie": self.cookie} if self.cookie else None
        self.ws = await websockets.connect(
            ws_url,
            subprotocols=protocols,  # type: ignore[arg-type]
            additional_headers=headers,
            max_size=MAX_MESSAGE,
            open_timeout=60,
        )

    async def rerun(self, *, page: str = "", query: str = "", widgets: object = None, timeout_s: float = 120.0) -> Run:
        """Ask for a run of ``page`` (its url path) and read until the run ends."""
        assert self.ws is not None
        msg = BackMsg()
        rerun = msg.rerun_script
        rerun.query_string = query
        rerun.page_name = page
        if widgets is not None:
            rerun.widget_states.CopyFrom(widgets)
        started = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        return await self.read_run(started, timeout_s=timeout_s)

    async def read_run(self, started: float, *, timeout_s: float) -> Run:
        assert self.ws is not None
        run = Run()
        deadline = started + timeout_s
        while time.perf_counter() < deadline:
            try:
                data = await asyncio.wait_for(self.ws.recv(), timeout=max(0.1, deadline - time.perf_counter()))
            except TimeoutError:
                break
            if isinstance(data, str):
                continue
            run.frames.append(data)
            fwd = ForwardMsg.FromString(data)
            kind = fwd.WhichOneof("type")
            if kind == "new_session":
                self.session_id = fwd.new_session.initialize.session_id
            elif kind == "script_finished" and fwd.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                run.finished = True
                break
        run.seconds = time.perf_counter() - started
        return run

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
            self.ws = None
