"""What the domain apps contribute to the portal, collected here so `governance` imports none of them.

`governance` owns the shared pages (home, the public village page, the navigation, the API root,
reports, pickers) and reads them from this registry; each domain app registers its part in its
`AppConfig.ready()`, the way Django's admin collects ModelAdmins or NetBox its plugin menus. The
only domain knowledge governance keeps is the hierarchy's model, named in the
`DIVISION_MODEL` setting (as AUTH_USER_MODEL names the user model).

    class VillagesConfig(AppConfig):
        def ready(self):
            registry.add_api_urls("villages.api.urls")   # the app's router
            registry.pending_work["filings"] = PendingWork(...)

Registration is idempotent by key (ready() may run more than once in tests), and everything is
read in registration order, sorted by `order` where an item has one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings


def get_division_model():
    """The model of the hierarchy (docs/architecture.md), as `DIVISION_MODEL` names it."""
    return apps.get_model(settings.DIVISION_MODEL, require_ready=False)


@dataclass(frozen=True)
class NavItem:
    """A link in the top navigation. `active_views` are the URL names under which it is shown active."""

    key: str
    label: Any  # a lazy translation
    url_name: str
    active_views: tuple[str, ...] = ()
    order: int = 100
    shown_to: Callable[[Any], bool] | None = None  # user → whether to show it; None: every signed-in user
    # Items of one group (a lazy label) share a drop-down menu in the top bar, so that the bar
    # stays one line however many apps contribute; None: a link of its own.
    group: Any = None
    # The model ("app_label.ModelName") the page lists: the item is left out for a user who may
    # view it nowhere (governance.access.permissions.may_act_somewhere), whatever `shown_to`.
    model: str | None = None


@dataclass
class NavEntry:
    """What the top bar shows: a link of its own, or a drop-down of the items of a group."""

    label: Any
    items: list[NavItem]
    is_group: bool

    @property
    def active_views(self) -> tuple[str, ...]:
        return tuple(view for item in self.items for view in item.active_views)


def nav_entries(items: list[NavItem]) -> list[NavEntry]:
    """The items in their order, those of a group gathered where the group's first item stands."""
    entries: list[NavEntry] = []
    groups: dict[str, NavEntry] = {}
    for item in items:
        if item.group is None:
            entries.append(NavEntry(item.label, [item], is_group=False))
            continue
        key = str(item.group)
        if key not in groups:
            groups[key] = NavEntry(item.group, [], is_group=True)
            entries.append(groups[key])
        groups[key].items.append(item)
    return entries


@dataclass(frozen=True)
class PendingWork:
    """A count on the home page of what waits for the user (filings to decide, reviews...).

    `count(user)` must answer through restrict(), so the home page agrees with the list it links to.
    A count of 0 is not shown.
    """

    key: str
    message: Callable[[int], str]  # count → the sentence shown ("有 3 条任职备案等待您审核。")
    count: Callable[[Any], int]
    url_name: str
    link_label: Any
    order: int = 100


@dataclass(frozen=True)
class Panel:
    """A section of a page that an app fills: a template and a function giving its context.

    For the home page `context(request)` receives the request; for the public village page it
    receives the division (no user: the public sees only published data, names masked); for a
    person's page `context(person, request)` receives the person and the request, and answers
    None for a visitor who may not see what it shows there.
    `context` returning None leaves the panel out.
    """

    key: str
    template: str
    context: Callable[..., dict | None]
    order: int = 100


@dataclass(frozen=True)
class HubLink:
    """What one DivisionLink shows on a division's page: where it leads, an optional count or
    short summary ("进行中 2 · 已通过 5"), and further links (the covenant in force)."""

    url: str
    count: Any = None  # an int, a short text, or None: nothing shown beside the link
    more: tuple[tuple[Any, str], ...] = ()  # (label, url) of links under it


@dataclass(frozen=True)
class DivisionLink:
    """A link of a division's page (villages' hub, division_links) to what an app keeps of it:
    its covenants, decisions, honour lists, award runs...

    `resolve(division, user)` answers a HubLink, or None for a visitor who may not see it (a
    permission check first, no query; then at most one query, from querysets restricted to the
    user, whatever the number of records). `section` groups links under a heading; `levels` are
    the levels of division ("village", "cooperative") whose pages show it.
    """

    key: str
    section: Any  # a lazy translation: the heading the link stands under
    label: Any
    resolve: Callable[[Any, Any], HubLink | None]
    levels: tuple[str, ...] = ("village",)
    order: int = 100


@dataclass(frozen=True)
class Report:
    """A report under /api/v1/reports/<slug>/ (docs/api.md), defined by its app."""

    slug: str
    name: Any
    view: Any  # an APIView class answering JSON, CSV and XLSX


@dataclass(frozen=True)
class Indicator:
    """An assessment indicator the portal computes from its own data (GET /api/v1/indicators/),
    as one set-based SQL statement over the units being scored (supervision's scoring runs it).

    `sql` reads the CTE `units` (code) and the parameters `%(day)s` (the counting day: the
    period's last day, or the day the run was asked for while the period runs), `%(start)s` (the
    period's first day), `%(period)s` (the scheme's period label), `%(first_town)s` and
    `%(after_last_town)s` (the chunk's range of codes, for reading only the chunk's rows by index)
    and `%(unit_code_length)s` (the length of a unit's code); it yields (unit, score) with a score
    from 0 to 100 for every unit. Supervision defines its own; another app contributes its own
    with registry.add_indicator, so that supervision imports no app it assesses."""

    code: str
    name: Any  # a lazy translation
    level: str  # the unit level it scores ("village", "cooperative"), the one the list shows
    description: Any
    sql: str
    # Every level the indicator scores; `level` alone by default.
    also_levels: tuple[str, ...] = ()

    @property
    def levels(self) -> tuple[str, ...]:
        return (self.level, *self.also_levels)


@dataclass(frozen=True)
class Picker:
    """A searchable picker for a scoped model: what the autocomplete matches and shows.

    `search(queryset, term)` narrows the user's restricted queryset; `label(obj)` names one
    choice (a cooperative with its village). The queryset is always restricted by governance.
    """

    key: str  # "app_label.model_name"
    search: Callable[[Any, str], Any]
    label: Callable[[Any], str]
    queryset: Callable[[], Any]


@dataclass
class Registry:
    nav: dict[str, NavItem] = field(default_factory=dict)
    pending_work: dict[str, PendingWork] = field(default_factory=dict)
    home_panels: dict[str, Panel] = field(default_factory=dict)
    public_sections: dict[str, Panel] = field(default_factory=dict)
    # Sections of a person's page (villages' person page renders them): context(person, request).
    person_panels: dict[str, Panel] = field(default_factory=dict)
    # Links of a division's page (villages' hub) to each app's records of the division.
    division_links: dict[str, DivisionLink] = field(default_factory=dict)
    reports: dict[str, Report] = field(default_factory=dict)
    pickers: dict[str, Picker] = field(default_factory=dict)
    # Modules with `urlpatterns`: each app's api/urls.py (its router) and its page urls.py.
    api_url_modules: list[str] = field(default_factory=list)
    page_url_modules: list[str] = field(default_factory=list)
    # Role slug → {"app_label.model": actions}: what each app's models grant each role.
    role_grants: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    # Name → check(person_id, action, day) giving the reasons that bar the person from the action
    # ("election", "asset_bidding", ...) on the day: covenants' sanctions, later supervision's.
    eligibility_checks: dict[str, Callable[[int, str, Any], list[str]]] = field(default_factory=dict)
    # Name → step() loading the app's part of the demo (manage.py load_demo runs each after the
    # hierarchy's own load, in the same transaction) and returning a one-line summary.
    demo_steps: dict[str, Callable[[], str]] = field(default_factory=dict)
    # "app_label.model_name" of the PrivateFile models whose files the download view
    # (/files/<key>/<pk>/) may send, to those who may view the row (add_private_file_model).
    private_files: set[str] = field(default_factory=set)
    # Celery beat's entries of each app (add_beat_task), merged with settings.CELERY_BEAT_SCHEDULE
    # into the Celery app's beat_schedule (governance/celery.py).
    beat_schedule: dict[str, dict] = field(default_factory=dict)
    # Code → the computed assessment indicators other apps contribute (add_indicator); the
    # supervision app scores them beside its own (supervision.services.indicators.computed_indicators).
    indicators: dict[str, Indicator] = field(default_factory=dict)

    def bars(self, person_id: int, action: str, on) -> list[str]:
        """Every registered reason why the person may not do `action` on `on` (empty: they may)."""
        return [reason for check in self.eligibility_checks.values() for reason in check(person_id, action, on)]

    def add_api_urls(self, module: str) -> None:
        if module not in self.api_url_modules:
            self.api_url_modules.append(module)

    def add_page_urls(self, module: str) -> None:
        if module not in self.page_url_modules:
            self.page_url_modules.append(module)

    def add_picker(self, model, *, search, label, queryset=None) -> None:
        """Offer a scoped model to the searchable pickers under its "app_label.model_name" (the
        key of /pick/<key>/ and of governance.pages.widgets.PickerWidget). `queryset()` defaults
        to the model's manager; it should select_related what `label` reads."""
        key = model._meta.label_lower
        self.pickers[key] = Picker(key=key, search=search, label=label, queryset=queryset or model.objects.all)

    def add_private_file_model(self, label: str) -> None:
        """Let the download view send files of this PrivateFile model ("covenants.ViolationEvidence"):
        a model not registered is never served, whatever its rows."""
        self.private_files.add(label.lower())

    def add_report(self, view) -> None:
        """A report view (a governance.api.reports.ReportView), served at /api/v1/reports/<slug>/."""
        self.reports[view.slug] = Report(slug=view.slug, name=view.name, view=view)

    def add_indicator(self, indicator: Indicator) -> None:
        """A computed indicator (governance.registry.Indicator) that assessment schemes may use."""
        self.indicators[indicator.code] = indicator

    def add_grants(self, grants: dict[str, dict[str, tuple[str, ...]]]) -> None:
        """Merge an app's grants per role; actions add up when two apps name the same model."""
        for role, by_model in grants.items():
            mine = self.role_grants.setdefault(role, {})
            for model_label, actions in by_model.items():
                mine[model_label] = tuple(dict.fromkeys((*mine.get(model_label, ()), *actions)))

    def add_beat_task(self, name: str, *, task: str, schedule, **options) -> None:
        """Run the Celery task named `task` on `schedule` (a crontab, a timedelta, seconds) from
        `celery beat`; `options` are those of a beat entry (args, kwargs, options)."""
        self.beat_schedule[name] = {"task": task, "schedule": schedule, **options}

    @staticmethod
    def ordered(items: dict) -> list:
        return sorted(items.values(), key=lambda item: getattr(item, "order", 100))


registry = Registry()
