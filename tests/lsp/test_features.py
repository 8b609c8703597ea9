"""Each feature of spec section 9 through a real client (see conftest.py)."""

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcException

from conftest import diagnostics, open_file, replace_all, uri

SCRIPT = "scripts/refund.defuse"
LIBRARY = "lib/closings.defuse"


def doc(client, relative):
    return types.TextDocumentIdentifier(uri=uri(client, relative))


def at(client, relative, position):
    return dict(text_document=doc(client, relative), position=position)


async def test_the_server_says_what_it_offers(client):
    capabilities = client.init_result.capabilities
    # VS Code offers no encoding (UTF-16 then); Neovim 0.11 offers UTF-8 first.
    offered = client.capabilities.general and client.capabilities.general.position_encodings
    assert capabilities.position_encoding == ("utf-8" if offered and "utf-8" in offered else "utf-16")
    assert client.init_result.server_info.name == "defuse"
    assert capabilities.rename_provider.prepare_provider


async def test_a_clean_script_publishes_no_diagnostics(client):
    file_uri = open_file(client, SCRIPT)
    assert await diagnostics(client, file_uri) == []


async def test_diagnostics_are_checks_on_the_buffer_not_the_disk(client):
    text = (client.workspace / SCRIPT).read_text().replace("-> clarify", "-> clarfy")
    file_uri = open_file(client, SCRIPT, text)
    [found] = await diagnostics(client, file_uri, lambda found: found)
    assert found.code == "unknown-target"
    assert found.source == "defuse"
    assert found.severity == types.DiagnosticSeverity.Error
    assert found.message == "node `restate` goes to `clarfy`, which does not exist in script `refund_missing`"
    assert found.range.start == client.pos(text, "clarfy")
    assert found.range.end == client.pos(text, "clarfy", after=6)
    [related] = found.related_information
    assert related.location.uri == file_uri
    assert related.location.range.start == client.pos(text, "clarify")
    assert related.message == "a node with a similar name"


async def test_positions_count_negotiated_units_after_emoji_and_accents(client):
    text = (client.workspace / SCRIPT).read_text().replace(
        'say "Here is what I can do right now:"', 'say "Voilà 😀 ce que je peux faire, {nme}"'
    )
    file_uri = open_file(client, SCRIPT, text)
    [found] = await diagnostics(client, file_uri, lambda found: found)
    assert found.code == "unknown-placeholder"
    line = text.splitlines()[found.range.start.line]
    # `à` is one UTF-16 unit and 2 bytes, `😀` two units and 4 bytes.
    assert line.index("{nme}") == 39
    expected = 43 if client.init_result.capabilities.position_encoding == "utf-8" else 40
    assert found.range.start.character == expected
    assert found.range.end.character == expected + 5


async def test_unreachable_nodes_and_unused_vars_are_tagged_unnecessary(client):
    text = (client.workspace / SCRIPT).read_text()
    text = text.replace("vars customer_name return_date", "vars customer_name return_date spare")
    text = text.replace("  options offer {", '  mirror lonely {\n    say "hi"\n    -> offer\n  }\n  options offer {')
    file_uri = open_file(client, SCRIPT, text)
    found = await diagnostics(client, file_uri, lambda found: len(found) == 2)
    assert sorted((d.code, list(d.tags)) for d in found) == [
        ("unreachable", [types.DiagnosticTag.Unnecessary]),
        ("unused-var", [types.DiagnosticTag.Unnecessary]),
    ]


async def test_editing_a_library_republishes_the_scripts_that_use_it(client):
    script_uri = open_file(client, SCRIPT)
    assert await diagnostics(client, script_uri) == []
    library = (client.workspace / LIBRARY).read_text()
    library_uri = open_file(client, LIBRARY, library)
    replace_all(client, library_uri, library.replace("close supervisor", "close manager"), 2)
    found = await diagnostics(client, script_uri, lambda found: found)
    assert [d.code for d in found] == ["unknown-target"]
    assert "closings.supervisor" in found[0].message
    # The disk still has `supervisor`: the diagnostics came from the buffer.
    assert "close supervisor" in (client.workspace / LIBRARY).read_text()


async def test_incremental_edits_apply_in_negotiated_units(client):
    text = (client.workspace / SCRIPT).read_text().replace('"Talk with a supervisor"', '"Parler à 😀 chef"')
    file_uri = open_file(client, SCRIPT, text)
    assert await diagnostics(client, file_uri) == []
    start = client.pos(text, "closings.supervisor")
    end = client.pos(text, "closings.supervisor", after=len("closings.supervisor"))
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=file_uri, version=2),
            content_changes=[
                types.TextDocumentContentChangePartial(range=types.Range(start=start, end=end), text="closings.nobody")
            ],
        )
    )
    found = await diagnostics(client, file_uri, lambda found: found)
    assert [d.code for d in found] == ["unknown-target"]
    changed = text.replace("closings.supervisor", "closings.nobody")
    assert found[0].range.start == client.pos(changed, "closings.nobody", after=9)


async def test_go_to_definition_finds_nodes_and_library_nodes(client):
    text = (client.workspace / SCRIPT).read_text()
    open_file(client, SCRIPT)
    [target] = [await client.text_document_definition_async(
        types.DefinitionParams(**at(client, SCRIPT, client.pos(text, "-> clarify", after=4)))
    )]
    assert target.uri == uri(client, SCRIPT)
    assert target.range.start == client.pos(text, "clarify {")
    found = await client.text_document_definition_async(
        types.DefinitionParams(**at(client, SCRIPT, client.pos(text, "closings.supervisor", after=12)))
    )
    library = (client.workspace / LIBRARY).read_text()
    assert found.uri == uri(client, LIBRARY)
    assert found.range.start == client.pos(library, "supervisor {")


async def test_references_list_every_edge_into_a_node(client):
    text = (client.workspace / SCRIPT).read_text()
    open_file(client, SCRIPT)
    position = client.pos(text, "mirror restate", after=8)
    params = types.ReferenceParams(
        **at(client, SCRIPT, position), context=types.ReferenceContext(include_declaration=False)
    )
    found = await client.text_document_references_async(params)
    assert sorted(location.range.start for location in found) == sorted(
        [client.pos(text, "-> restate", after=3, occurrence=0), client.pos(text, "-> restate", after=3, occurrence=1)]
    )
    params.context.include_declaration = True
    found = await client.text_document_references_async(params)
    assert client.pos(text, "restate {") in [location.range.start for location in found]


async def test_references_to_a_library_node_reach_scripts_not_open(client):
    library = (client.workspace / LIBRARY).read_text()
    open_file(client, LIBRARY)
    params = types.ReferenceParams(
        **at(client, LIBRARY, client.pos(library, "supervisor {")),
        context=types.ReferenceContext(include_declaration=False),
    )
    [found] = await client.text_document_references_async(params)
    script = (client.workspace / SCRIPT).read_text()
    assert found.uri == uri(client, SCRIPT)
    assert found.range.start == client.pos(script, "closings.supervisor", after=9)


async def test_rename_changes_every_edge_across_files(client):
    library = (client.workspace / LIBRARY).read_text()
    open_file(client, LIBRARY)
    position = client.pos(library, "supervisor {")
    prepared = await client.text_document_prepare_rename_async(types.PrepareRenameParams(**at(client, LIBRARY, position)))
    assert prepared.start == position
    edit = await client.text_document_rename_async(
        types.RenameParams(**at(client, LIBRARY, position), new_name="manager")
    )
    assert sorted(edit.changes) == sorted([uri(client, LIBRARY), uri(client, SCRIPT)])
    script = (client.workspace / SCRIPT).read_text()
    [script_edit] = edit.changes[uri(client, SCRIPT)]
    assert script_edit.new_text == "manager"
    assert script_edit.range.start == client.pos(script, "closings.supervisor", after=9)


async def test_rename_changes_the_transcript_tests_too(client):
    # A test names nodes too (`go`, `expect path`, `expect close`): renamed with the script,
    # so `defuse test` still runs after the rename.
    test = (
        'use "refund.defuse"\n'
        'test "to a supervisor" {\n'
        "  go restate\n"
        "  expect path where_is_refund hear_them restate find_cause offer closings.supervisor\n"
        "  expect close closings.supervisor\n"
        "}\n"
    )
    (client.workspace / "scripts/refund.dtest").write_text(test)
    script = (client.workspace / SCRIPT).read_text()
    open_file(client, SCRIPT)
    edit = await client.text_document_rename_async(
        types.RenameParams(**at(client, SCRIPT, client.pos(script, "mirror restate", after=8)), new_name="check_back")
    )
    edits = edit.changes[uri(client, "scripts/refund.dtest")]
    lines = test.splitlines()
    assert sorted((e.range.start.line, e.range.start.character) for e in edits) == [
        (2, lines[2].index("restate")),
        (3, lines[3].index("restate")),
    ]
    assert all(e.new_text == "check_back" for e in edits)

    library = (client.workspace / LIBRARY).read_text()
    open_file(client, LIBRARY)
    edit = await client.text_document_rename_async(
        types.RenameParams(**at(client, LIBRARY, client.pos(library, "supervisor {")), new_name="manager")
    )
    edits = edit.changes[uri(client, "scripts/refund.dtest")]
    starts = sorted((e.range.start.line, e.range.start.character) for e in edits)
    assert starts == [(3, lines[3].index("supervisor")), (4, lines[4].index("supervisor"))]


@pytest.mark.parametrize(
    "new_name, reason",
    [("say", "reserved word"), ("clarify", "already has a node named `clarify`"), ("9lives", "not a valid node name")],
)
async def test_rename_is_refused_for_reserved_duplicate_and_invalid_names(client, new_name, reason):
    text = (client.workspace / SCRIPT).read_text()
    open_file(client, SCRIPT)
    params = types.RenameParams(**at(client, SCRIPT, client.pos(text, "mirror restate", after=8)), new_name=new_name)
    with pytest.raises(JsonRpcException) as refused:
        await client.text_document_rename_async(params)
    assert reason in str(refused.value)


async def complete(client, relative, text, position):
    file_uri = open_file(client, relative, text)
    await diagnostics(client, file_uri, lambda found: True)
    found = await client.text_document_completion_async(
        types.CompletionParams(text_document=types.TextDocumentIdentifier(uri=file_uri), position=position)
    )
    items = found.items if isinstance(found, types.CompletionList) else found
    return [item.label for item in sorted(items, key=lambda item: item.sort_text or item.label)]


async def test_completion_after_an_arrow_offers_reachable_nodes_nearest_stages_first(client):
    text = (client.workspace / SCRIPT).read_text().replace("reply \"no\" -> offer", "reply \"no\" -> ")
    labels = await complete(client, SCRIPT, text, client.pos(text, 'reply "no" -> ', after=14))
    assert "where_is_refund" not in labels, "never a trigger"
    # From root-cause: root-cause itself (`find_cause` is offered although it does not parse
    # while its edge is being typed: a node may target itself), options (1 forward), mirror
    # (1 back), close (2 forward), acknowledge (2 back); forward before back at the same
    # distance, one stage's nodes by name.
    assert labels == [
        "find_cause",
        "offer",
        "clarify",
        "restate",
        "closings.resolved_thanks",
        "closings.supervisor",
        "hear_them",
    ]


async def test_a_completion_replaces_the_whole_name_typed_library_part_included(client):
    # VS Code replaces its own idea of the word (no `.` in it) unless an item says what it
    # replaces: `-> closings.sup` would become `closings.closings.supervisor`.
    text = (client.workspace / SCRIPT).read_text().replace('reply "no" -> offer', 'reply "no" -> closings.sup')
    file_uri = open_file(client, SCRIPT, text)
    await diagnostics(client, file_uri, lambda found: True)
    cursor = client.pos(text, 'reply "no" -> closings.sup', after=len('reply "no" -> closings.sup'))
    found = await client.text_document_completion_async(
        types.CompletionParams(text_document=types.TextDocumentIdentifier(uri=file_uri), position=cursor)
    )
    items = found.items if isinstance(found, types.CompletionList) else found
    supervisor = next(item for item in items if item.label == "closings.supervisor")
    start = client.pos(text, 'reply "no" -> closings.sup', after=len('reply "no" -> '))
    assert supervisor.text_edit.new_text == "closings.supervisor"
    assert (supervisor.text_edit.range.start, supervisor.text_edit.range.end) == (start, cursor)


async def test_completion_offers_the_statements_of_the_nodes_stage(client):
    text = (client.workspace / SCRIPT).read_text().replace('    say "Here is what I can do right now:"\n', "    \n")
    labels = await complete(client, SCRIPT, text, client.pos(text, "options offer {\n    ", after=20))
    assert "option" in labels and "outcome" not in labels and "follow_up" not in labels
    library = (client.workspace / LIBRARY).read_text().replace("    outcome escalated\n", "    \n")
    labels = await complete(client, LIBRARY, library, client.pos(library, '"supervisors"\n    ', after=18))
    assert "outcome" in labels and "follow_up" in labels
    assert "option" not in labels and "->" not in labels


async def test_completion_offers_vars_after_a_brace_and_outcomes_after_outcome(client):
    text = (client.workspace / SCRIPT).read_text().replace("I'm sorry, {customer_name}.", "I'm sorry, {cu")
    labels = await complete(client, SCRIPT, text, client.pos(text, "I'm sorry, {cu", after=14))
    assert labels == ["customer_name", "return_date"]
    library = (client.workspace / LIBRARY).read_text().replace("outcome escalated", "outcome ")
    labels = await complete(client, LIBRARY, library, client.pos(library, "outcome \n", after=8))
    assert labels == ["resolved", "escalated", "callback", "ended"]


async def test_hover_shows_stage_outcome_and_lines(client):
    library = (client.workspace / LIBRARY).read_text()
    open_file(client, LIBRARY)
    found = await client.text_document_hover_async(
        types.HoverParams(**at(client, LIBRARY, client.pos(library, "supervisor {")))
    )
    assert found.contents.kind == types.MarkupKind.Markdown
    assert found.contents.value == (
        "**close** `closings.supervisor` · outcome `escalated` · 2.8 s\n\n"
        "- say: I am bringing in my supervisor now.\n"
        "- transfer: supervisors\n"
    )


async def test_document_symbols_list_nodes_by_stage(client):
    open_file(client, SCRIPT)
    [script] = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=doc(client, SCRIPT))
    )
    assert script.name == "refund_missing"
    assert script.detail == "Refund has not arrived"
    assert [(node.detail, node.name) for node in script.children] == [
        ("trigger", "where_is_refund"),
        ("acknowledge", "hear_them"),
        ("mirror", "restate"),
        ("mirror", "clarify"),
        ("root-cause", "find_cause"),
        ("options", "offer"),
    ]


async def test_formatting_rewrites_in_the_fmt_layout_and_leaves_broken_files_alone(client):
    messy = 'library closings {close a { say "x"   outcome ended }}\n'
    file_uri = open_file(client, LIBRARY, messy)
    params = types.DocumentFormattingParams(
        text_document=types.TextDocumentIdentifier(uri=file_uri),
        options=types.FormattingOptions(tab_size=2, insert_spaces=True),
    )
    [edit] = await client.text_document_formatting_async(params)
    assert edit.new_text == 'library closings {\n  close a {\n    say "x"\n    outcome ended\n  }\n}\n'
    replace_all(client, file_uri, "library closings { close a { say }", 2)
    await diagnostics(client, file_uri, lambda found: found)
    assert await client.text_document_formatting_async(params) is None


async def test_code_actions_offer_did_you_mean_and_a_missing_var(client):
    text = (client.workspace / SCRIPT).read_text().replace("-> clarify", "-> clarfy").replace(
        "{return_date}", "{order_id}"
    )
    file_uri = open_file(client, SCRIPT, text)
    found = await diagnostics(client, file_uri, lambda found: len(found) == 2)
    whole = types.Range(start=types.Position(line=0, character=0), end=types.Position(line=999, character=0))
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=file_uri),
            range=whole,
            context=types.CodeActionContext(diagnostics=found),
        )
    )
    by_title = {action.title: action for action in actions}
    fix = by_title["Replace with `clarify`"]
    assert fix.kind == types.CodeActionKind.QuickFix
    [edit] = fix.edit.changes[file_uri]
    assert edit.new_text == "clarify" and edit.range.start == client.pos(text, "clarfy")
    [edit] = by_title["Add `order_id` to `vars`"].edit.changes[file_uri]
    assert edit.new_text == " order_id"
    assert edit.range.start == client.pos(text, "return_date\n", after=11)
    # Applying both fixes leaves a file with only the now unused `return_date`.
    fixed = text.replace("-> clarfy", "-> clarify").replace("customer_name return_date", "customer_name return_date order_id")
    replace_all(client, file_uri, fixed, 2)
    found = await diagnostics(client, file_uri, lambda found: [d.code for d in found] == ["unused-var"])


async def test_a_broken_node_leaves_the_others_working(client):
    text = (client.workspace / SCRIPT).read_text().replace(
        '    ask "Thanks for correcting me. What did I get wrong?"\n', '    ask "Thanks for\n    reply -> \n'
    )
    file_uri = open_file(client, SCRIPT, text)
    found = await diagnostics(client, file_uri, lambda found: found)
    assert [d.code for d in found] == ["syntax"]
    [script] = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=doc(client, SCRIPT))
    )
    names = [node.name for node in script.children]
    assert "clarify" not in names and "offer" in names and "restate" in names
    target = await client.text_document_definition_async(
        types.DefinitionParams(**at(client, SCRIPT, client.pos(text, "-> offer", after=4)))
    )
    assert target.range.start == client.pos(text, "offer {")
    labels = await complete(client, SCRIPT, text, client.pos(text, "reply -> ", after=9))
    assert "offer" in labels and "where_is_refund" not in labels


async def test_each_file_is_checked_with_its_nearest_config(client):
    (client.workspace / "defuse.toml").write_text('[rules]\nunused-var = "error"\n')
    text = (client.workspace / SCRIPT).read_text().replace("vars customer_name return_date", "vars customer_name return_date spare")
    file_uri = open_file(client, SCRIPT, text)
    [found] = await diagnostics(client, file_uri, lambda found: found)
    assert (found.code, found.severity) == ("unused-var", types.DiagnosticSeverity.Error)


async def test_a_broken_config_is_shown_once_and_the_defaults_apply(client):
    (client.workspace / "defuse.toml").write_text("[rules\n")
    text = (client.workspace / SCRIPT).read_text().replace("vars customer_name return_date", "vars customer_name return_date spare")
    file_uri = open_file(client, SCRIPT, text)
    [found] = await diagnostics(client, file_uri, lambda found: found)
    assert (found.code, found.severity) == ("unused-var", types.DiagnosticSeverity.Warning)
    replace_all(client, file_uri, text + "\n", 2)
    await diagnostics(client, file_uri, lambda found: found)
    [message] = client.messages
    assert message.type == types.MessageType.Warning
    assert "defuse.toml" in message.message
