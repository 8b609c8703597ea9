"""Runs SCXML documents in a real engine (python-statemachine >= 3.2).

Reads JSON from stdin: [{"scxml": FILE, "events": [...], "final": STATE_ID}, ...]. For each
run: load the document, start it, send the events in order, and check that the machine
rests in exactly the expected <final> state. Prints one line per failure and the closing
line "N passed, M failed"; exits 1 if any run failed.
"""
import json
import sys

from statemachine.io import load


def run(case):
    machine = load(case["scxml"])()
    for event in case["events"]:
        machine.send(event)
    states = [state.id for state in machine.configuration]
    finals = [state.final for state in machine.configuration]
    if states != [case["final"]] or finals != [True]:
        return f"{case['scxml']}: events {case['events']} ended in {states}, expected final {case['final']}"
    return None


def main():
    cases = json.load(sys.stdin)
    failures = []
    for case in cases:
        try:
            problem = run(case)
        except Exception as error:  # any engine error is a failed run
            problem = f"{case['scxml']}: {type(error).__name__}: {error}"
        if problem:
            failures.append(problem)
    for failure in failures:
        print(failure)
    print(f"{len(cases) - len(failures)} passed, {len(failures)} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
