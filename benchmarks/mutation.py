"""Mutation testing of the modules where a bug hurts most: is there a test that notices each small,
plausible mistake? Prints killed/survived per module and lists the survivors.

    DEBUG=true DJANGO_ALLOW_ASYNC_UNSAFE=true .venv/bin/python benchmarks/mutation.py [--survivors] \
        [--module casework/cases/access.py ...] [--json var/mutation.json] [tests ...]

How it stays fast enough for a laptop: pytest starts once; one test that needs the database sets the
test database up; the suite then runs once in a forked child, recording which lines of the mutated
modules each test executes (sys.monitoring). Each mutant then runs in its own forked child, which swaps
the mutated function's code object into the live function (so every module that imported it sees the
change), and runs only the tests that execute the mutated lines, stopping at the first failure.
Nothing is written to the source files.

A mutant is *killed* when a test fails (or the tests hang past a timeout), *survived* when all pass,
*uncovered* when no test executes its lines. Mutants judged equivalent (no behaviour a user could
notice changes) are listed with the reason in benchmarks/mutation-equivalent.txt and left out of the
score. SQLite only (a forked child cannot share a PostgreSQL connection).
"""

import argparse
import ast
import json
import os
import re
import select
import signal
import sys
import time
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Each module, and the tests that may kill its mutants (the brief: the relevant test directories).
MODULES = {
    "casework/cases/access.py": ["tests/cases", "tests/test_permissions.py", "tests/teams"],
    "casework/cases/workflow.py": ["tests/cases"],
    "casework/outreach/sending.py": ["tests/outreach"],
    "casework/intake/ingestion.py": ["tests/intake"],
    "casework/feedback/respondents.py": ["tests/feedback", "tests/intake"],
}
EQUIVALENT_FILE = ROOT / "benchmarks" / "mutation-equivalent.txt"

COMPARE_SWAPS = {
    ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt,
    ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot, ast.IsNot: ast.Is,
}
BINOP_SWAPS = {ast.BitOr: ast.BitAnd, ast.BitAnd: ast.BitOr, ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.FloorDiv, ast.Pow: ast.Mult}
METHOD_SWAPS = {"open": "all", "first": "last", "last": "first", "filter": "exclude", "exclude": "filter"}
NAME_SWAPS = {"min": "max", "max": "min"}
ATTRIBUTE_SWAPS = {"is_superuser": "is_staff"}
# Calls whose mutation means nothing to a user: translated messages, logging.
QUIET_CALLS = {"_", "gettext", "ngettext", "gettext_lazy"}
QUIET_RECEIVERS = {"logger", "logging", "log"}
# Calls whose keyword arguments are formatting, not rules (mail headers, dataclass fields).
QUIET_KEYWORDS = {"field", "Address", "RespondentEmail", "make_msgid", "clone", "super"}
FIELD_NAME = re.compile(r"-?[a-z_][a-z0-9_]*")


@dataclass
class Mutant:
    module: str
    line: int
    function: str  # qualified name of the enclosing function, or "" at module level
    operator: str
    original: str
    mutated: str
    start: tuple[int, int]
    end: tuple[int, int]
    replacement: str
    lines: list[int]
    status: str = ""
    tests_run: int = 0
    killer: str = ""

    @property
    def key(self) -> str:
        return f"{self.module} :: {self.function or '<module>'} :: {self.operator} :: {_squash(self.original)} -> {_squash(self.mutated)}"


def _squash(text: str) -> str:
    return " ".join(text.split())


# Generating mutants.


class _Mutator(ast.NodeVisitor):
    def __init__(self, module: str, source: str):
        self.module, self.source = module, source
        self.stack: list[str] = []
        self.mutants: list[Mutant] = []
        self.statement: ast.stmt | None = None

    # Context: the enclosing function's qualified name; annotations, docstrings, decorators are skipped.

    def visit_FunctionDef(self, node):
        for default in [*node.args.defaults, *node.args.kw_defaults]:
            if default is not None:
                self.visit(default)
        self.stack.append(node.name)
        self.stack.append("<locals>")
        self._body(node.body)
        self.stack.pop()
        self.stack.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_ClassDef(self, node):
        self.stack.append(node.name)
        self._body(node.body)
        self.stack.pop()

    def visit_Lambda(self, node):
        self.stack.append("<lambda>")
        self.visit(node.body)
        self.stack.pop()

    def visit_AnnAssign(self, node):
        self._statement(node)
        if node.value is not None:
            self.visit(node.value)

    def visit_arg(self, node):
        pass

    def visit_JoinedStr(self, node):
        pass

    def _body(self, body):
        for index, statement in enumerate(body):
            is_docstring = index == 0 and isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant)
            if not is_docstring:
                self.visit(statement)

    def generic_visit(self, node):
        if isinstance(node, ast.stmt):
            self._statement(node)
        super().generic_visit(node)

    @property
    def function(self) -> str:
        names = [name for name in self.stack]
        while names and names[-1] == "<locals>":
            names.pop()
        if "<locals>" not in self.stack:
            return ""  # module or class level: runs at import
        return ".".join(names)

    # Operators.

    def _add(self, node, operator: str, replacement: ast.AST | str, *, statement=False):
        original = ast.get_source_segment(self.source, node) or ast.unparse(node)
        text = replacement if isinstance(replacement, str) else ast.unparse(replacement)
        if not statement:
            text = f"({text})"
        self.mutants.append(
            Mutant(
                module=self.module,
                line=node.lineno,
                function=self.function,
                operator=operator,
                original=original,
                mutated=text,
                start=(node.lineno, node.col_offset),
                end=(node.end_lineno, node.end_col_offset),
                replacement=text,
                lines=list(range(node.lineno, node.end_lineno + 1)),
            )
        )

    def _statement(self, node):
        removable = isinstance(node, (ast.Raise, ast.Continue, ast.AugAssign)) or (
            isinstance(node, ast.Expr) and isinstance(node.value, ast.Call) and not _quiet(node.value)
        ) or (isinstance(node, ast.Assign) and any(isinstance(target, (ast.Subscript, ast.Attribute)) for target in node.targets))
        if removable and self.function:
            self._add(node, "remove statement", "pass", statement=True)
        if isinstance(node, (ast.If, ast.While)) and not isinstance(node.test, (ast.Compare, ast.BoolOp, ast.UnaryOp)):
            self._add(node.test, "negate condition", ast.UnaryOp(ast.Not(), node.test))

    def visit_IfExp(self, node):
        if not isinstance(node.test, (ast.Compare, ast.BoolOp, ast.UnaryOp)):
            self._add(node.test, "negate condition", ast.UnaryOp(ast.Not(), node.test))
        self.generic_visit(node)

    def visit_Compare(self, node):
        for index, op in enumerate(node.ops):
            swap = COMPARE_SWAPS.get(type(op))
            if swap:
                ops = list(node.ops)
                ops[index] = swap()
                self._add(node, "comparison", ast.Compare(node.left, ops, node.comparators))
        self.generic_visit(node)

    def visit_BoolOp(self, node):
        other = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        self._add(node, "and/or", ast.BoolOp(other, node.values))
        for index in range(len(node.values)):
            rest = node.values[:index] + node.values[index + 1 :]
            self._add(node, "drop operand", rest[0] if len(rest) == 1 else ast.BoolOp(node.op, rest))
        self.generic_visit(node)

    def visit_UnaryOp(self, node):
        if isinstance(node.op, ast.Not):
            self._add(node, "drop not", node.operand)
        self.generic_visit(node)

    def visit_BinOp(self, node):
        swap = BINOP_SWAPS.get(type(node.op))
        if swap:
            self._add(node, "operator", ast.BinOp(node.left, swap(), node.right))
        if isinstance(node.op, (ast.BitOr, ast.BitAnd)):
            self._add(node, "drop operand", node.left)
            self._add(node, "drop operand", node.right)
        self.generic_visit(node)

    def visit_Constant(self, node):
        value = node.value
        if isinstance(value, bool):
            self._add(node, "constant", ast.Constant(not value))
        elif isinstance(value, int):
            self._add(node, "constant", ast.Constant(value + 1 if value != 1 else 0))
        elif isinstance(value, str) and value.startswith("-") and FIELD_NAME.fullmatch(value):
            self._add(node, "ordering", ast.Constant(value[1:]))

    def visit_Attribute(self, node):
        if node.attr in ATTRIBUTE_SWAPS:
            self._add(node, "attribute", ast.Attribute(node.value, ATTRIBUTE_SWAPS[node.attr], node.ctx))
        self.generic_visit(node)

    def visit_Call(self, node):
        if _quiet(node):
            return
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in METHOD_SWAPS:
            self._add(node, "method", ast.Call(ast.Attribute(func.value, METHOD_SWAPS[func.attr], ast.Load()), node.args, node.keywords))
        if isinstance(func, ast.Name) and func.id in NAME_SWAPS:
            self._add(node, "function", ast.Call(ast.Name(NAME_SWAPS[func.id], ast.Load()), node.args, node.keywords))
        if isinstance(func, ast.Attribute) and func.attr == "order_by":
            for index, arg in enumerate(node.args):
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and not arg.value.startswith("-"):
                    args = list(node.args)
                    args[index] = ast.Constant("-" + arg.value)
                    self._add(node, "ordering", ast.Call(func, args, node.keywords))
        callee = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        for index, keyword in enumerate(node.keywords):
            if keyword.arg is not None and callee not in QUIET_KEYWORDS:
                keywords = node.keywords[:index] + node.keywords[index + 1 :]
                self._add(node, "drop argument", ast.Call(func, node.args, keywords))
        self.generic_visit(node)


def _quiet(call: ast.Call) -> bool:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id in QUIET_CALLS
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        return func.value.id in QUIET_RECEIVERS
    return False


def generate(module: str) -> list[Mutant]:
    source = (ROOT / module).read_text()
    mutator = _Mutator(module, source)
    mutator._body(ast.parse(source).body)
    return mutator.mutants


def mutated_source(mutant: Mutant) -> str:
    lines = (ROOT / mutant.module).read_text().encode().splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    data = b"".join(lines)
    start = offsets[mutant.start[0] - 1] + mutant.start[1]
    end = offsets[mutant.end[0] - 1] + mutant.end[1]
    return (data[:start] + mutant.replacement.encode() + data[end:]).decode()


# Applying a mutant inside a forked child.


def _functions(namespace, module_name, seen):
    for value in list(vars(namespace).values()):
        if id(value) in seen:
            continue
        seen.add(id(value))
        if isinstance(value, (staticmethod, classmethod)):
            value = value.__func__
        if isinstance(value, property):
            for accessor in (value.fget, value.fset, value.fdel):
                if accessor is not None:
                    yield from _unwrap(accessor, module_name)
        elif isinstance(value, type) and value.__module__ == module_name:
            yield from _functions(value, module_name, seen)
        elif callable(value):
            yield from _unwrap(value, module_name)


def _unwrap(value, module_name):
    while value is not None:
        code = getattr(value, "__code__", None)
        if code is not None and getattr(value, "__module__", None) == module_name:
            yield value
        value = getattr(value, "__wrapped__", None)


def _code_objects(code, found):
    found.setdefault(code.co_qualname, code)
    for const in code.co_consts:
        if isinstance(const, type(code)):
            _code_objects(const, found)
    return found


def apply(mutant: Mutant) -> None:
    import importlib

    module_name = mutant.module.removesuffix(".py").replace("/", ".")
    module = importlib.import_module(module_name)
    source = mutated_source(mutant)
    if not mutant.function:
        tree = ast.parse(source)
        statement = next(node for node in tree.body if node.lineno <= mutant.line <= node.end_lineno)
        if not isinstance(statement, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            raise NotImplementedError("module-level mutant outside an assignment")
        exec(compile(ast.Module([statement], []), str(ROOT / mutant.module), "exec"), vars(module))
        return
    codes = _code_objects(compile(source, str(ROOT / mutant.module), "exec"), {})
    for function in _functions(module, module_name, set()):
        new = codes.get(function.__code__.co_qualname)
        if new is not None:
            function.__code__ = new


# Running, inside pytest.


class _Anchor:
    """A stand-in "next item" whose chain is the session alone: tearing down to it keeps the test
    database (a session fixture) and nothing else."""

    def __init__(self, session):
        self.session = session

    def listchain(self):
        return [self.session]


def _run_items(items, anchor, stop_on_failure) -> tuple[list[str], dict[str, float]]:
    from _pytest.runner import runtestprotocol

    failed, durations = [], {}
    for index, item in enumerate(items):
        nextitem = items[index + 1] if index + 1 < len(items) else anchor
        reports = runtestprotocol(item, log=False, nextitem=nextitem)
        durations[item.nodeid] = sum(report.duration for report in reports)
        if any(report.failed for report in reports):
            failed.append(item.nodeid)
            if stop_on_failure:
                break
    return failed, durations


def _start_child(work) -> tuple[int, int]:
    """Forks a child that runs `work()` and writes its JSON answer to a pipe; returns (pid, pipe)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        try:
            answer = work()
        except BaseException as error:  # noqa: BLE001 - reported to the parent
            answer = {"error": f"{type(error).__name__}: {error}"}
        with os.fdopen(write, "w") as pipe:
            json.dump(answer, pipe)
        os._exit(0)
    os.close(write)
    return pid, read


def _finish_child(pid: int, pipe: int, *, timed_out: bool):
    """The child's answer, or None when it ran out of time or died without one."""
    if timed_out:
        os.kill(pid, signal.SIGKILL)
    with os.fdopen(pipe) as stream:
        text = "" if timed_out else stream.read()  # the child writes its whole answer at the end
    os.waitpid(pid, 0)
    return json.loads(text) if text else None


def _in_children(jobs: list, workers: int):
    """Runs (work, timeout, done) triples, `workers` at a time; `done(answer)` gets each answer."""
    running: dict[int, tuple] = {}
    queue = list(jobs)
    while queue or running:
        while queue and len(running) < workers:
            work, timeout, done = queue.pop(0)
            pid, pipe = _start_child(work)
            running[pipe] = (pid, None if timeout is None else time.monotonic() + timeout, done)
        deadlines = [deadline for _pid, deadline, _done in running.values() if deadline is not None]
        wait = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
        ready, _, _ = select.select(list(running), [], [], wait)
        for pipe in list(running):
            pid, deadline, done = running[pipe]
            timed_out = pipe not in ready and deadline is not None and time.monotonic() >= deadline
            if pipe in ready or timed_out:
                del running[pipe]
                done(_finish_child(pid, pipe, timed_out=timed_out))


class MutationPlugin:
    def __init__(self, options):
        self.options = options
        self.mutants: list[Mutant] = []

    def pytest_runtestloop(self, session):
        import pytest

        items = [item for item in session.items if "browser" not in item.keywords]
        anchor = _Anchor(session)
        # One test that uses the database sets it up here, in the parent, so that every child starts from it.
        starter = next(
            item for item in items if "db" in item.fixturenames and "transactional_db" not in item.fixturenames
        )
        _run_items([starter], anchor, stop_on_failure=False)
        started = time.monotonic()
        print(f"Baseline: {len(items)} tests, recording the lines each executes…", flush=True)
        answers = []
        _in_children([(lambda: _baseline(items, anchor, self.options.modules), None, answers.append)], 1)
        baseline = answers[0]
        if baseline is None or "error" in baseline:
            raise pytest.UsageError(f"Baseline run failed: {baseline}")
        print(f"Baseline took {time.monotonic() - started:.0f}s; {len(baseline['failed'])} tests fail unmutated: {baseline['failed'][:5]}", flush=True)
        by_nodeid = {item.nodeid: item for item in items}
        order = {item.nodeid: index for index, item in enumerate(items)}
        durations = baseline["durations"]
        covering: dict[tuple[str, int], set[str]] = defaultdict(set)
        for nodeid, hits in baseline["lines"].items():
            if nodeid in baseline["failed"]:
                continue
            for module, lines in hits.items():
                for line in lines:
                    covering[(module, line)].add(nodeid)
        per_module = defaultdict(set)
        for (module, _line), nodeids in covering.items():
            per_module[module] |= nodeids
        equivalent = load_equivalent()
        for module in self.options.modules:
            self.mutants.extend(generate(module))
        print(f"{len(self.mutants)} mutants", flush=True)
        carried = _previous_kills(self.options.carry_kills)
        kills: dict[str, int] = defaultdict(int)  # tests that killed mutants so far go first
        jobs, finished = [], [0]
        for mutant in self.mutants:
            if mutant.key in carried:
                mutant.status, mutant.killer = "killed", f"(earlier run) {carried[mutant.key]}"
                self._done(mutant, equivalent, finished)
                continue
            relevant = MODULES.get(mutant.module) or self.options.tests
            if mutant.function:
                selected = set().union(*(covering.get((mutant.module, line), set()) for line in mutant.lines))
            else:
                selected = per_module[mutant.module]
            selected = {nodeid for nodeid in selected if any(nodeid.startswith(path) for path in relevant)}
            if not selected:
                mutant.status = "uncovered"
                self._done(mutant, equivalent, finished)
                continue
            # At most --max-tests tests: those that killed most mutants so far, then the quickest (chosen
            # when the mutant's turn comes, so later mutants learn from earlier ones).
            mutant.tests_run = min(len(selected), self.options.max_tests)
            slowest = sorted((durations.get(nodeid, 0) for nodeid in selected), reverse=True)[: self.options.max_tests]
            budget = 30 + 3 * sum(slowest)

            def work(mutant=mutant, selected=selected):
                ordered = sorted(selected, key=lambda nodeid: (-kills[nodeid], durations.get(nodeid, 0), order[nodeid]))
                return _mutant_run(mutant, [by_nodeid[nodeid] for nodeid in ordered[: self.options.max_tests]], anchor)

            def done(answer, mutant=mutant):
                if answer is None:
                    mutant.status, mutant.killer = "killed", "timeout"
                elif "error" in answer:
                    mutant.status, mutant.killer = "error", answer["error"]
                else:
                    mutant.status = "killed" if answer["failed"] else "survived"
                    mutant.killer = answer["failed"][0] if answer["failed"] else ""
                    if mutant.killer:
                        kills[mutant.killer] += 1
                self._done(mutant, equivalent, finished)

            jobs.append((work, budget, done))
        _in_children(jobs, self.options.jobs)
        report(self.mutants, self.options, time.monotonic() - started)
        return True

    def _done(self, mutant, equivalent, finished):
        if mutant.status in ("survived", "uncovered") and mutant.key in equivalent:
            mutant.status = "equivalent"
        finished[0] += 1
        if self.options.json:
            with open(self.options.json + "l", "a") as partial:  # what is known so far, should the run be stopped
                partial.write(json.dumps(asdict(mutant) | {"key": mutant.key}) + "\n")
        if self.options.progress:
            print(
                f"[{finished[0]}/{len(self.mutants)}] {mutant.status:10} {mutant.module}:{mutant.line} {mutant.operator}: "
                f"{_squash(mutant.original)[:70]} -> {_squash(mutant.mutated)[:70]}",
                flush=True,
            )


def _baseline(items, anchor, modules):
    targets = {str(ROOT / module): module for module in modules}
    lines: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    current = [None]
    monitoring = sys.monitoring
    tool = 4
    monitoring.use_tool_id(tool, "mutation")

    def on_line(code, line):
        module = targets.get(code.co_filename)
        if module is None:
            return monitoring.DISABLE
        if current[0] is not None:
            lines[current[0]][module].add(line)
        return None

    from _pytest.runner import runtestprotocol

    monitoring.register_callback(tool, monitoring.events.LINE, on_line)
    monitoring.set_events(tool, monitoring.events.LINE)
    failed, durations = [], {}
    for index, item in enumerate(items):
        current[0] = item.nodeid
        nextitem = items[index + 1] if index + 1 < len(items) else anchor
        started = time.monotonic()
        reports = runtestprotocol(item, log=False, nextitem=nextitem)
        durations[item.nodeid] = time.monotonic() - started
        if any(report.failed for report in reports):
            failed.append(item.nodeid)
    monitoring.set_events(tool, 0)
    return {
        "failed": failed,
        "durations": durations,
        "lines": {nodeid: {module: sorted(hit) for module, hit in hits.items()} for nodeid, hits in lines.items()},
    }


def _previous_kills(path) -> dict[str, str]:
    """Mutants an earlier run (--json file, or its .jsonl progress) killed: tests were added since, not removed."""
    if not path:
        return {}
    text = Path(path).read_text()
    rows = json.loads(text) if text.lstrip().startswith("[") else [json.loads(line) for line in text.splitlines() if line]
    return {row["key"]: row["killer"] for row in rows if row["status"] == "killed"}


def _mutant_run(mutant, items, anchor):
    apply(mutant)
    failed, _durations = _run_items(items, anchor, stop_on_failure=True)
    return {"failed": failed}


# Equivalent mutants and the report.


def load_equivalent() -> dict[str, str]:
    """Blocks of `key` (as printed for a survivor) followed by indented lines giving the reason."""
    equivalent, key = {}, None
    if not EQUIVALENT_FILE.exists():
        return equivalent
    for line in EQUIVALENT_FILE.read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line[0].isspace():
            equivalent[key] = (equivalent[key] + " " + line.strip()).strip()
        else:
            key = _squash(line)
            equivalent[key] = ""
    return {_squash(key): reason for key, reason in equivalent.items()}


def report(mutants: list[Mutant], options, elapsed: float) -> None:
    print(f"\nMutation run: {len(mutants)} mutants in {elapsed / 60:.1f} min\n")
    header = f"{'module':36} {'mutants':>7} {'killed':>6} {'survived':>8} {'uncovered':>9} {'equivalent':>10} {'error':>5} {'score':>6}"
    print(header)
    print("-" * len(header))
    rows = defaultdict(lambda: defaultdict(int))
    for mutant in mutants:
        rows[mutant.module][mutant.status] += 1
        rows["total"][mutant.status] += 1
    for module in [*options.modules, "total"]:
        row = rows[module]
        total = sum(row.values())
        scored = row["killed"] + row["survived"] + row["uncovered"]
        score = 100 * row["killed"] / scored if scored else 100.0
        print(f"{module:36} {total:7} {row['killed']:6} {row['survived']:8} {row['uncovered']:9} {row['equivalent']:10} {row['error']:5} {score:5.1f}%")
    print("\nscore = killed / (mutants - equivalent - error)")
    if options.survivors:
        for mutant in mutants:
            if mutant.status in ("survived", "uncovered", "error"):
                print(f"\n{mutant.status}: {mutant.module}:{mutant.line} ({mutant.tests_run} tests)\n{mutant.key}")
                if mutant.status == "error":
                    print(f"    {mutant.killer}")
    if options.json:
        Path(options.json).write_text(json.dumps([asdict(mutant) | {"key": mutant.key} for mutant in mutants], indent=1))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("tests", nargs="*", default=["tests"], help="test paths (default: tests)")
    parser.add_argument("--module", dest="modules", action="append", help="module to mutate (repeatable)")
    parser.add_argument("--json", help="write every mutant and its fate here")
    parser.add_argument("--survivors", action="store_true", help="list the mutants no test kills")
    parser.add_argument("--progress", action="store_true", help="print each mutant's fate as it is known")
    parser.add_argument("--list", action="store_true", help="only list the mutants")
    parser.add_argument("--jobs", type=int, default=2, help="mutants run at once (default 2)")
    parser.add_argument("--carry-kills", help="count mutants an earlier run killed (its --json file) as killed without running them")
    parser.add_argument("--max-tests", type=int, default=15, help="tests run per mutant at most (default 15)")
    options = parser.parse_args()
    options.modules = options.modules or list(MODULES)
    if options.tests == ["tests"]:
        options.tests = sorted({path for module in options.modules for path in MODULES.get(module, ["tests"])})
    if options.list:
        for module in options.modules:
            for mutant in generate(module):
                print(f"{mutant.line:4} {mutant.key}")
        return 0
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("The mutation run uses SQLite: unset DATABASE_URL.", file=sys.stderr)
        return 2
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    import pytest

    return pytest.main(["-q", "-s", "-p", "no:randomly", "-m", "not browser", *options.tests], plugins=[MutationPlugin(options)])


if __name__ == "__main__":
    sys.exit(main())
