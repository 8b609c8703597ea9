"""`defuse/preview` (spec section 9, "Preview") through a real client: the trainer page of the
buffer's script, from the server's analysis of the open buffers (see conftest.py)."""

import asyncio
from typing import Any, Optional, Union

import attrs

from conftest import diagnostics, open_file, replace_all

SCRIPT = "scripts/refund.defuse"
LIBRARY = "lib/closings.defuse"
PREVIEW = "defuse/preview"


@attrs.define
class RawResponse:
    """A response whose result stays the JSON it was (pygls makes an unknown method's result
    namedtuples, which cannot hold the node ids of `definitions` as field names)."""

    id: Union[int, str]
    result: Optional[Any] = None
    jsonrpc: str = "2.0"


async def preview(client, file_uri, position=None):
    protocol = client.protocol
    if not getattr(protocol, "raw_preview", False):
        typed = protocol.get_result_type
        protocol.get_result_type = lambda method: RawResponse if method == PREVIEW else typed(method)
        protocol.raw_preview = True
    params = {"textDocument": {"uri": file_uri}}
    if position is not None:
        params["position"] = {"line": position.line, "character": position.character}
    return await asyncio.wait_for(protocol.send_request_async(PREVIEW, params), 30)


async def test_unsaved_edits_reach_the_page(client):
    text = (client.workspace / SCRIPT).read_text()
    file_uri = open_file(client, SCRIPT, text.replace("Here is what I can do right now:", "Typed, not saved."))
    first = await preview(client, file_uri)
    assert first["version"] == 1
    assert "Typed, not saved." in first["html"] and "Here is what I can do" not in first["html"]
    replace_all(client, file_uri, text.replace("Here is what I can do right now:", "Typed again."), version=2)
    second = await preview(client, file_uri)
    assert second["version"] == 2
    assert "Typed again." in second["html"] and "Typed, not saved." not in second["html"]
    # The page is the trainer page: the rehearsal and the cards are there.
    assert '<section id="rehearse"' in second["html"] and 'class="path"' in second["html"]
    assert "Content-Security-Policy" in second["html"] and "default-src 'none'" in second["html"]


async def test_the_node_at_the_cursor_is_marked_selected(client):
    text = (client.workspace / SCRIPT).read_text()
    file_uri = open_file(client, SCRIPT, text)
    answer = await preview(client, file_uri, client.pos(text, "Thanks for correcting me"))
    assert answer["selected"] == "clarify"
    html = answer["html"]
    assert html.count('data-selected=""') == 1
    assert '<g class="node" data-node="clarify" data-selected="">' in html
    # Each drawn node's definition, for the editor to reveal when its box is clicked.
    clarify = answer["definitions"]["clarify"]
    assert clarify["uri"] == file_uri
    assert clarify["range"]["start"] == {"line": client.pos(text, "clarify {").line, "character": client.pos(text, "clarify {").character}
    library = answer["definitions"]["closings.supervisor"]
    assert library["uri"].endswith("/lib/closings.defuse")
    # Without a position, nothing is marked.
    plain = await preview(client, file_uri)
    assert plain["selected"] is None and 'data-selected=""' not in plain["html"]


async def test_a_broken_buffer_answers_no_page_and_the_server_stays_up(client):
    text = (client.workspace / SCRIPT).read_text()
    file_uri = open_file(client, SCRIPT, text.replace("-> clarify", "-> clarfy"))
    answer = await preview(client, file_uri)
    assert answer["html"] is None and answer["version"] == 1
    line = text.splitlines().index("    otherwise -> clarify") + 1
    assert answer["message"] == (
        f"The preview waits for 1 error to be fixed: line {line}: node `restate` goes to `clarfy`, "
        "which does not exist in script `refund_missing`."
    )
    # Half typed: the file does not parse.
    replace_all(client, file_uri, text.replace("mirror clarify {", "mirror clarify {{ ->"), version=2)
    answer = await preview(client, file_uri)
    assert answer["html"] is None and answer["version"] == 2
    assert answer["message"].startswith("The preview waits for ")
    # The server still answers, and the page is back once the script is fixed.
    assert await diagnostics(client, file_uri, lambda found: found)
    replace_all(client, file_uri, text, version=3)
    answer = await preview(client, file_uri)
    assert answer["version"] == 3 and answer["html"] and "message" not in answer


async def test_a_library_open_in_another_buffer_is_used(client):
    library = (client.workspace / LIBRARY).read_text().replace(
        "I am bringing in my supervisor now.", "A supervisor joins (unsaved)."
    )
    library_uri = open_file(client, LIBRARY, library)
    file_uri = open_file(client, SCRIPT)
    answer = await preview(client, file_uri)
    assert "A supervisor joins (unsaved)." in answer["html"]
    assert "I am bringing in my supervisor now." not in answer["html"]
    # An error in the open library stops the script's page, and says where it is.
    replace_all(client, library_uri, library.replace("outcome escalated", "outcome escalatd"), version=2)
    answer = await preview(client, file_uri)
    assert answer["html"] is None
    assert "closings.defuse line 10" in answer["message"]
    # The library itself has no page.
    answer = await preview(client, library_uri)
    assert answer["html"] is None and "library" in answer["message"]


async def test_a_file_the_client_did_not_open_has_no_preview(client):
    assert await preview(client, (client.workspace / SCRIPT).as_uri()) is None
