"""A small reader of our Dockerfiles, enough to check them and to lay out an image's files without Docker."""

import dataclasses
import json
import re
import shlex

_VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)")


@dataclasses.dataclass
class Stage:
    base: str
    name: str | None
    instructions: list = dataclasses.field(default_factory=list)  # (INSTRUCTION, arguments)

    def all(self, instruction):
        return [arguments for name, arguments in self.instructions if name == instruction]

    def last(self, instruction):
        found = self.all(instruction)
        return found[-1] if found else None


def instructions(text):
    """(INSTRUCTION, arguments) for each instruction, continuation lines joined, comments dropped."""
    joined, pending = [], ""
    for line in text.splitlines():
        stripped = line.strip()
        if not pending and (not stripped or stripped.startswith("#")):
            continue
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        joined.append(pending + stripped)
        pending = ""
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1] if " " in line else "") for line in joined]


def stages(text):
    """The stages of a Dockerfile, with global ARG defaults substituted in FROM."""
    global_args, found = {}, []
    for instruction, arguments in instructions(text):
        if instruction == "FROM":
            words = substitute(arguments, global_args).split()
            found.append(Stage(base=words[0], name=words[2] if len(words) == 3 else None))
        elif found:
            found[-1].instructions.append((instruction, arguments))
        elif instruction == "ARG":
            name, _, default = arguments.partition("=")
            global_args[name] = default
    return found


def substitute(text, values):
    return _VARIABLE.sub(lambda m: values.get(m.group(1) or m.group(2), m.group(0)), text)


def runtime_environment(stage, build_args=None):
    """ARG values (`build_args`, else the defaults) and ENV of a stage, in order, each substituted with what
    came before."""
    values, build_args = {}, build_args or {}
    for instruction, arguments in stage.instructions:
        if instruction == "ARG":
            name, _, default = arguments.partition("=")
            values[name] = build_args.get(name, substitute(default, values))
        elif instruction == "ENV":
            for pair in shlex.split(arguments):
                name, _, value = pair.partition("=")
                values[name] = substitute(value, values)
    return values


def copies(stage):
    """(sources, destination) of each COPY from the build context (not --from another stage)."""
    found = []
    for arguments in stage.all("COPY"):
        words = arguments.split()
        if any(word.startswith("--from=") for word in words):
            continue
        words = [word for word in words if not word.startswith("--")]
        found.append((words[:-1], words[-1]))
    return found


def exec_form(arguments):
    """The argv of a JSON-form CMD or HEALTHCHECK CMD."""
    return json.loads(arguments[arguments.index("[") :])
