"""One registry shape for every plug-in kind: backends, attacks, guards, defences."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from intentlens.errors import UnknownPluginError

Factory = TypeVar("Factory", bound=Callable[..., object])


class Registry(Generic[Factory]):
    """Factories registered by name."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._factories: dict[str, Factory] = {}

    def register(self, name: str) -> Callable[[Factory], Factory]:
        """Decorator registering ``factory`` under ``name``."""

        def decorate(factory: Factory) -> Factory:
            self._factories[name] = factory
            return factory

        return decorate

    def names(self) -> list[str]:
        """Registered names, sorted."""
        return sorted(self._factories)

    def __contains__(self, name: object) -> bool:
        return name in self._factories

    def get(self, name: str) -> Factory:
        """The factory ``name``; an :class:`UnknownPluginError` lists the known ones."""
        if name not in self._factories:
            raise UnknownPluginError(f"unknown {self.kind} {name!r}; known: {', '.join(self.names())}")
        return self._factories[name]
