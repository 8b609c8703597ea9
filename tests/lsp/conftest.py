"""End-to-end tests of `defuse lsp` with a real LSP client (pytest-lsp, over stdio).

The server is the built binary: $DEFUSE_BIN, else target/debug/defuse of this checkout
(tests/suite/lsp.rs sets DEFUSE_BIN to the binary cargo just built). Each test runs once per
client profile (VS Code, Neovim and Emacs/eglot capability sets as pytest-lsp recorded them), on a fresh
copy of tests/lsp/workspace. Spec warnings are errors (pytest.ini).
"""

import asyncio
import os
import pathlib
import shutil

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

HERE = pathlib.Path(__file__).resolve().parent
BIN = os.environ.get("DEFUSE_BIN") or str(HERE.parents[1] / "target" / "debug" / "defuse")
CLIENTS = ["visual-studio-code", "neovim", "emacs"]


@pytest.fixture
def workspace(tmp_path):
    root = tmp_path / "workspace"
    shutil.copytree(HERE / "workspace", root)
    return root


@pytest_lsp.fixture(params=CLIENTS, config=ClientServerConfig(server_command=[BIN, "lsp"]))
async def client(request, lsp_client: LanguageClient, workspace):
    params = types.InitializeParams(
        capabilities=client_capabilities(request.param),
        root_uri=workspace.as_uri(),
        workspace_folders=[types.WorkspaceFolder(uri=workspace.as_uri(), name="workspace")],
    )
    result = await lsp_client.initialize_session(params)
    lsp_client.init_result = result
    encoding = result.capabilities.position_encoding or "utf-16"
    lsp_client.pos = lambda text, needle, after=0, occurrence=0: position_of(text, needle, after, occurrence, encoding)
    lsp_client.workspace = workspace
    yield
    await lsp_client.shutdown_session()


def uri(client, relative):
    return (client.workspace / relative).as_uri()


def open_file(client, relative, text=None, version=1):
    """Opens a workspace file in the client, with `text` instead of its disk text if given."""
    path = client.workspace / relative
    if text is None:
        text = path.read_text()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=path.as_uri(), language_id="defuse", version=version, text=text)
        )
    )
    return path.as_uri()


def replace_all(client, file_uri, text, version):
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=file_uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


async def diagnostics(client, file_uri, until=lambda found: True, timeout=20):
    """The diagnostics published for `file_uri` once `until(them)` holds."""

    async def wait():
        while True:
            found = client.diagnostics.get(file_uri)
            if found is not None and until(list(found)):
                return list(found)
            await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)

    return await asyncio.wait_for(wait(), timeout)


def position_of(text, needle, after=0, occurrence=0, encoding="utf-16"):
    """The position of the `occurrence`-th `needle` in `text`, plus `after` characters, in
    the negotiated encoding (client.pos is this with the session's encoding)."""
    at = -1
    for _ in range(occurrence + 1):
        at = text.index(needle, at + 1)
    return encoded_position(text, at + after, encoding)


def encoded_position(text, offset, encoding):
    before = text[:offset]
    line = before.count("\n")
    column = before[before.rfind("\n") + 1 :]
    units = len(column.encode("utf-8")) if encoding == "utf-8" else len(column.encode("utf-16-le")) // 2
    return types.Position(line=line, character=units)
