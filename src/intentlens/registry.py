"""One registry shape for every plug-in kind: attacks, guards, defences and scan detectors.

A plug-in registers its factory with what it says about itself: a one-line summary, whether it asks
an LLM, and the pydantic model of its options. The CLI's choices and help, the eval file's
validation and ``intentlens plugins`` read those facts from here and nowhere else. A configured
plug-in's name in results comes from its validated options (:meth:`Plugin.label`).

Other packages add plug-ins through entry points in the group ``intentlens.<kind>s`` (for example
``intentlens.guards``): an entry point names a module whose import registers its plug-ins, or a
factory registered under the entry point's name. They are loaded the first time a name is missing
or the names are listed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib.metadata import entry_points
from types import ModuleType
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from intentlens.errors import PluginOptionError, UnknownPluginError

logger = logging.getLogger(__name__)
T = TypeVar("T")
Factory = TypeVar("Factory", bound=Callable[..., Any])
Namer = Callable[[Mapping[str, Any]], str]


@dataclass(frozen=True)
class Plugin(Generic[T]):
    """A registered plug-in and what it says about itself."""

    kind: str
    name: str
    factory: Callable[..., T]
    summary: str
    needs_backend: bool
    options: type[BaseModel] | None = None
    """The pydantic model of its options (None: it takes none)."""
    namer: Namer | None = None
    """How results name it for some options (default: the name, then ``-key=value`` per option)."""

    def validate(self, options: Mapping[str, Any]) -> dict[str, Any]:
        """``options`` checked against the options model; only the options given come back (the
        factory keeps its own defaults for the rest)."""
        model = self.options
        if model is None:
            if options:
                raise PluginOptionError(f"{self.kind} {self.name!r} takes no options "
                                        f"(got {', '.join(sorted(options))})")
            return {}
        try:
            validated = model.model_validate(dict(options))
        except ValidationError as exc:
            error = exc.errors()[0]
            where = ".".join(str(p) for p in error["loc"])
            known = ", ".join(model.model_fields) or "none"
            raise PluginOptionError(f"{self.kind} {self.name!r}, option {where}: {error['msg']} "
                                    f"(its options: {known})") from None
        return {key: getattr(validated, key) for key in validated.model_fields_set}

    def label(self, options: Mapping[str, Any] | None = None) -> str:
        """The name results carry for this plug-in configured with ``options`` (checked first; the
        values are shown as given, so ``ratio = 1`` stays ``ratio=1``)."""
        given = dict(options or {})
        self.validate(given)
        if self.namer is not None:
            return self.namer(given)
        return self.name + "".join(f"-{key}={given[key]}" for key in sorted(given))

    def option_help(self) -> list[tuple[str, str, str]]:
        """(name, type, default) for each option, for listings."""
        if self.options is None:
            return []
        rows = []
        for key, field in self.options.model_fields.items():
            annotation = field.annotation
            shown = getattr(annotation, "__name__", None) or str(annotation).replace("typing.", "")
            default = "required" if field.is_required() else \
                repr(field.get_default(call_default_factory=True))
            rows.append((key, shown, default))
        return rows


def first_paragraph(doc: str | None) -> str:
    """A docstring's first paragraph on one line."""
    return " ".join((doc or "").strip().split("\n\n")[0].split())


class Registry(Generic[T]):
    """Plug-ins of one kind (each factory makes a ``T``), by name."""

    def __init__(self, kind: str, *, group: str, needs_backend: bool) -> None:
        self.kind = kind
        self.group = f"intentlens.{group}"
        """The entry-point group other packages register in."""
        self.default_needs_backend = needs_backend
        """Whether a plug-in of this kind asks an LLM unless it says otherwise."""
        self._plugins: dict[str, Plugin[T]] = {}
        self._external_loaded = False

    def register(self, name: str, *, summary: str | None = None, needs_backend: bool | None = None,
                 options: type[BaseModel] | None = None, namer: Namer | None = None
                 ) -> Callable[[Factory], Factory]:
        """Decorator registering ``factory`` under ``name``. The summary defaults to the first paragraph
        of the factory's docstring; ``needs_backend`` to the factory's own attribute, else the kind's."""

        def decorate(factory: Factory) -> Factory:
            needs = needs_backend if needs_backend is not None else \
                bool(getattr(factory, "needs_backend", self.default_needs_backend))
            about = summary or first_paragraph(factory.__doc__)
            self._plugins[name] = Plugin(self.kind, name, factory, about, needs, options, namer)
            return factory

        return decorate

    def _load_external(self) -> None:
        if self._external_loaded:
            return
        self._external_loaded = True
        for point in entry_points(group=self.group):
            try:
                loaded = point.load()
            except Exception as exc:  # a broken third-party plug-in must not break the others
                logger.warning("%s plug-in %r (%s) failed to load: %s", self.kind, point.name,
                               point.value, exc)
                continue
            if point.name not in self._plugins and callable(loaded) and not isinstance(loaded, ModuleType):
                self.register(point.name)(loaded)

    def names(self) -> list[str]:
        """Registered names, sorted (entry points included)."""
        self._load_external()
        return sorted(self._plugins)

    def plugins(self) -> list[Plugin[T]]:
        """Every registered plug-in, by name."""
        return [self._plugins[name] for name in self.names()]

    def __contains__(self, name: object) -> bool:
        if name not in self._plugins:
            self._load_external()
        return name in self._plugins

    def plugin(self, name: str) -> Plugin[T]:
        """The plug-in ``name``; an :class:`UnknownPluginError` lists the known ones."""
        if name not in self:
            raise UnknownPluginError(f"unknown {self.kind} {name!r}; known: {', '.join(self.names())}")
        return self._plugins[name]

    def get(self, name: str) -> Callable[..., T]:
        """The factory of ``name``."""
        return self.plugin(name).factory

    def build(self, name: str, backend: Any = None, **options: Any) -> T:
        """The plug-in ``name`` built on ``backend`` (its LLM, where it asks one) with ``options``,
        which its options model checks first."""
        plugin = self.plugin(name)
        return plugin.factory(backend, **plugin.validate(options))

    def needs_backend(self, name: str) -> bool:
        """Whether the plug-in ``name`` must have an LLM backend."""
        return self.plugin(name).needs_backend
