"""Checking the ``[keys]`` table of config.toml before Textual sees it.

Textual's ``set_keymap`` accepts anything: an unknown binding id, a key no
keyboard can press, a key already bound to another action (the first
binding wins, the other action is unreachable), even ``app.quit = "x"``
where ``x`` is taken by the main screen, which leaves no way to quit.
:func:`check_keymap` keeps only the overrides that work and says, with
the file and line, why each other one was ignored.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from textual.binding import Binding
from textual.keys import REPLACED_KEYS, Keys, _character_to_key, key_to_character

MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
NAMED_KEYS = frozenset(k.value for k in Keys if not k.value.startswith("<")) | {"backtab"}
QUIT_ID = "app.quit"


@dataclass(frozen=True, slots=True)
class Scope:
    """Bindings that compete for the same keys: one class's, and those of
    the classes whose keys it shadows (an app binding is shadowed by any
    screen or widget binding with its key)."""

    name: str
    bindings: tuple[Binding, ...]


def key_problem(key: str) -> str:
    """Why ``key`` (one key, as in a binding) can never be pressed; "" when it can."""
    if not key or any(not c.isprintable() for c in key):
        return "holds control characters" if key else "is empty"
    if len(key) == 1:
        return "" if key != " " else "is a bare space (write 'space')"
    *modifiers, last = key.split("+")
    unknown = [m for m in modifiers if m not in MODIFIERS]
    if unknown:
        return f"has an unknown modifier {unknown[0]!r} (known: {', '.join(sorted(MODIFIERS))})"
    if not last:
        return "ends with '+'"
    if len(last) == 1 or last in NAMED_KEYS or key_to_character(REPLACED_KEYS.get(last, last)) is not None:
        return ""
    return "is not a key name (examples: 'x', 'X', 'ctrl+x', 'f5', 'enter', 'question_mark')"


def normalize(keys: str) -> list[str]:
    """A binding's comma-separated keys, in Textual's long form."""
    return [_character_to_key(k) if len(k) == 1 else k for k in (part.strip() for part in keys.split(","))]


def check_keymap(
    overrides: Mapping[str, str],
    scopes: Iterable[Scope],
    app_scope: Scope,
    where: Callable[[str], str] = lambda binding_id: "config",
    modal: Iterable[Scope] = (),
) -> tuple[dict[str, str], list[str]]:
    """The overrides that work, and one message per ignored one.

    An override is ignored when its binding id is unknown, when one of its
    keys cannot be pressed, or when one of its keys is already bound to
    another action where it would act (same scope; for an app binding any
    scope, screen and widget keys come first; for a screen binding, the
    first of ``scopes``, its panes too, whose keys come first while they
    have focus), so that no action is left without a key.  ``app.quit`` always
    keeps a key that reaches it.  ``modal`` scopes (the triage screen) are
    checked like the others, but their keys do not count against quit:
    such a screen is left with its own key, and quit works again behind it."""
    modal = list(modal)
    modal_names = {scope.name for scope in modal}
    scopes = list(scopes)
    # The first scope is the screen; its panes' keys shadow it while a pane has focus.
    shadows = {scopes[0].name: {s.name for s in scopes}} if scopes else {}
    scopes = [app_scope, *scopes, *modal]
    shadows[app_scope.name] = {s.name for s in scopes}
    unnamed = {s.name: {k: b.action for b in s.bindings if not b.id for k in normalize(b.key)} for s in scopes}
    ids = {b.id: scope.name for scope in scopes for b in scope.bindings if b.id}
    # A binding written "w,l" comes from Textual as one Binding per key,
    # all with the same id: its default keys are all of theirs.
    defaults: dict[str, list[str]] = {}
    for scope in scopes:
        for b in scope.bindings:
            if b.id:
                keys = defaults.setdefault(b.id, [])
                keys.extend(k for k in normalize(b.key) if k not in keys)
    accepted: dict[str, str] = {}
    errors: list[str] = []
    for binding_id, raw in overrides.items():
        shown = "".join(c if c.isprintable() else "?" for c in binding_id)
        if binding_id not in ids:
            near = sorted(i for i in ids if i.split(".")[-1] == binding_id.split(".")[-1])
            hint = f" (did you mean {near[0]!r}?)" if near else " (? in the reader lists the ids)"
            errors.append(f"{where(binding_id)}: unknown binding id {shown!r}{hint}; ignored")
            continue
        keys = normalize(raw)
        bad = next(((k, key_problem(k)) for k in keys if key_problem(k)), None)
        if bad is not None:
            key = "".join(c if c.isprintable() else "?" for c in bad[0])
            errors.append(f"{where(binding_id)}: key {key!r} for {shown} {bad[1]}; ignored")
            continue
        if len(set(keys)) != len(keys):
            keys = list(dict.fromkeys(keys))
        accepted[binding_id] = ",".join(keys)
    # Conflicts, with every accepted override in place.
    effective = {i: (accepted[i].split(",") if i in accepted else defaults[i]) for i in ids}
    for binding_id in list(accepted):
        reach = shadows.get(ids[binding_id], {ids[binding_id]})
        rivals = [i for i, s in ids.items() if i != binding_id and s in reach]
        for key in effective[binding_id]:
            taken = [i for i in rivals if key in effective[i]]
            taken += [f"{unnamed[s][key]} ({s})" for s in sorted(reach) if key in unnamed[s]]
            if taken:
                errors.append(f"{where(binding_id)}: key {key!r} for {binding_id} is already bound to "
                              f"{taken[0]}; ignored, {binding_id} keeps {','.join(defaults[binding_id])}")
                del accepted[binding_id]
                effective[binding_id] = defaults[binding_id]
                break
    # Quit stays reachable whatever else was remapped onto its keys.
    quit_keys = effective.get(QUIT_ID, [])
    rivals_of_quit = [i for i in ids if i != QUIT_ID and ids[i] not in modal_names]
    if QUIT_ID in ids and not any(all(k not in effective[i] for i in rivals_of_quit) for k in quit_keys):
        errors.append(f"{where(QUIT_ID)}: no key would quit; {QUIT_ID} keeps {','.join(defaults[QUIT_ID])}")
        accepted.pop(QUIT_ID, None)
        for i in list(accepted):
            if ids[i] not in modal_names and set(accepted[i].split(",")) & set(defaults[QUIT_ID]):
                errors.append(f"{where(i)}: {i} may not take the quit key; ignored")
                del accepted[i]
    return accepted, errors
