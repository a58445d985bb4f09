"""Frozen: the base of the core's immutable records that are not tuples (Note, Deck,
Settings), in place of frozen dataclasses.

A frozen dataclass compiles six methods (its __init__, __repr__, __eq__, __hash__,
__setattr__, __delattr__) when its module is imported: 1-3 ms a class, on every start-up.
A Frozen class writes its __init__ (filling __dict__) and names its fields; the rest is
here, compiled once into the bytecode cache.
"""

from __future__ import annotations


class Frozen:
    """Immutable after __init__, compared and hashed on COMPARED, shown with FIELDS."""

    FIELDS: tuple[str, ...] = ()
    COMPARED: tuple[str, ...] = ()

    def __setattr__(self, name, value):
        raise AttributeError(f"cannot assign to field {name!r}")

    __delattr__ = __setattr__

    def _compared(self) -> tuple:
        return tuple(getattr(self, f) for f in self.COMPARED)

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return self._compared() == other._compared()
        return NotImplemented

    def __hash__(self):
        return hash(self._compared())

    def __repr__(self) -> str:
        shown = ", ".join(f"{f}={getattr(self, f)!r}" for f in self.FIELDS)
        return f"{type(self).__name__}({shown})"

    def as_dict(self) -> dict:
        """The fields by name, in order (as dataclasses.asdict, without copying)."""
        return {f: getattr(self, f) for f in self.FIELDS}

    def replace(self, **changes):
        """A copy with some fields changed (as dataclasses.replace)."""
        return type(self)(**self.as_dict() | changes)
