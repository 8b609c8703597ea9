"""Translations in the editor (contract section 12, `lsp`): a project with `[locales] targets`
gets every target locale's diagnostics, published on the PO files; open PO buffers are checked
as typed; hover shows a line's translations; `#:` leads to the source line (see conftest.py)."""

from lsprotocol import types

from conftest import diagnostics, replace_all

SCRIPT = """script refund "Refund" {
  vars amount
  trigger start {
    customer "Where is my refund?"
    -> hear
  }
  acknowledge hear {
    say "I'm sorry about the wait."
    ask "Is {amount} the amount?"
    -> done
  }
  close done {
    say "Thanks for calling."
    outcome ended
  }
}
"""

SPANISH = """msgid ""
msgstr ""
"Language: es\\n"
"Content-Type: text/plain; charset=UTF-8\\n"

#: refund.defuse:1
msgctxt "refund:title"
msgid "Refund"
msgstr "Reembolso"

#: refund.defuse:4
#, python-brace-format
msgctxt "refund.start:customer"
msgid "Where is my refund?"
msgstr "¿Dónde está mi reembolso?"

#: refund.defuse:8
#, python-brace-format
msgctxt "refund.hear:say"
msgid "I'm sorry about the wait."
msgstr "Lamento la espera."

#: refund.defuse:9
#, fuzzy, python-brace-format
msgctxt "refund.hear:ask"
msgid "Is {amount} the amount?"
msgstr "¿Es {amount} el importe?"

#: refund.defuse:13
#, python-brace-format
msgctxt "refund.done:say"
msgid "Thanks for calling."
msgstr "Gracias por llamar, {nombre}."
"""

PO = "translated/locales/es/refund.po"
SOURCE = "translated/refund.defuse"


def project(client):
    """A project of its own in the workspace: one script, Spanish as its target."""
    root = client.workspace / "translated"
    (root / "locales" / "es").mkdir(parents=True)
    (root / "defuse.toml").write_text('[locales]\ntargets = ["es"]\n')
    (root / "refund.defuse").write_text(SCRIPT)
    (root / "locales" / "es" / "refund.po").write_text(SPANISH)


def source_text(client):
    return (client.workspace / SOURCE).read_text()


def po_text(client):
    return (client.workspace / PO).read_text()


def open_doc(client, relative, language, text=None, version=1):
    path = client.workspace / relative
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=path.as_uri(), language_id=language, version=version, text=path.read_text() if text is None else text
            )
        )
    )
    return path.as_uri()


def codes(found):
    return sorted(d.code for d in found)


async def test_each_target_locale_is_checked_and_published_on_the_po_file(client):
    project(client)
    source_uri = open_doc(client, SOURCE, "defuse")
    po_uri = (client.workspace / PO).as_uri()
    found = await diagnostics(client, po_uri, lambda found: found)
    assert codes(found) == ["fuzzy-translation", "placeholder-mismatch"]
    assert all(d.message.startswith("[es] ") for d in found)
    mismatch = next(d for d in found if d.code == "placeholder-mismatch")
    assert mismatch.severity == types.DiagnosticSeverity.Error
    assert mismatch.range.start == client.pos(po_text(client), 'msgstr "Gracias')
    [related] = mismatch.related_information
    assert related.location.uri == source_uri
    assert related.location.range.start == client.pos(source_text(client), '"Thanks for calling."')
    assert await diagnostics(client, source_uri) == []


async def test_an_unsaved_po_buffer_is_checked_as_it_is_edited(client):
    project(client)
    po_uri = open_doc(client, PO, "po")
    found = await diagnostics(client, po_uri, lambda found: len(found) == 2)
    assert codes(found) == ["fuzzy-translation", "placeholder-mismatch"]
    assert all("[es]" in d.message for d in found)
    replace_all(client, po_uri, po_text(client).replace(", {nombre}.", "."), 2)
    found = await diagnostics(client, po_uri, lambda found: len(found) == 1)
    assert codes(found) == ["fuzzy-translation"]
    # The disk still has the mismatch: the diagnostics came from the buffer.
    assert "{nombre}" in po_text(client)


async def test_hover_on_a_source_line_shows_its_translations(client):
    project(client)
    open_doc(client, SOURCE, "defuse")
    text = source_text(client)
    for needle, expected in [
        ("sorry about", "- es: «Lamento la espera.» (translated)\n"),
        ("the amount", "- es: «¿Es {amount} el importe?» (fuzzy)\n"),
    ]:
        found = await client.text_document_hover_async(
            types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=(client.workspace / SOURCE).as_uri()),
                position=client.pos(text, needle),
            )
        )
        assert found.contents.kind == types.MarkupKind.Markdown
        assert found.contents.value.endswith(expected), found.contents.value


async def test_definition_from_a_reference_lands_on_the_source_line(client):
    project(client)
    po_uri = open_doc(client, PO, "po")
    text = po_text(client)
    found = await client.text_document_definition_async(
        types.DefinitionParams(
            text_document=types.TextDocumentIdentifier(uri=po_uri),
            position=client.pos(text, "#: refund.defuse:9", after=6),
        )
    )
    assert found.uri == (client.workspace / SOURCE).as_uri()
    source = source_text(client)
    assert found.range.start == client.pos(source, 'ask "Is')
    # From a msgctxt line: the line of that entry.
    found = await client.text_document_definition_async(
        types.DefinitionParams(
            text_document=types.TextDocumentIdentifier(uri=po_uri),
            position=client.pos(text, 'msgctxt "refund.done:say"', after=12),
        )
    )
    assert found.range.start == client.pos(source, '"Thanks for calling."')


async def test_a_garbage_po_buffer_is_one_diagnostic_and_the_server_goes_on(client):
    project(client)
    po_uri = open_doc(client, PO, "po", text="msgid \"unterminated\nmsgstr {{{\n\x01\x02 garbage ###")
    [found] = await diagnostics(client, po_uri, lambda found: found)
    assert found.code == "locale-file"
    assert found.message.startswith("[es] ")
    # A PO file is no script: nothing to complete in it.
    completion = await client.text_document_completion_async(
        types.CompletionParams(text_document=types.TextDocumentIdentifier(uri=po_uri), position=types.Position(line=1, character=0))
    )
    assert completion is None
    # The server answers the next request.
    text = source_text(client)
    open_doc(client, SOURCE, "defuse")
    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=(client.workspace / SOURCE).as_uri()),
            position=client.pos(text, "sorry about"),
        )
    )
    assert "(missing: `locales/es/refund.po` does not parse)" in hover.contents.value


async def test_closing_the_script_clears_the_diagnostics_of_a_po_file_not_open(client):
    project(client)
    source_uri = open_doc(client, SOURCE, "defuse")
    po_uri = (client.workspace / PO).as_uri()
    assert len(await diagnostics(client, po_uri, lambda found: found)) == 2
    client.text_document_did_close(
        types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=source_uri))
    )
    assert await diagnostics(client, po_uri, lambda found: not found) == []
