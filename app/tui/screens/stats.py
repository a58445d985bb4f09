"""Stats: a review heatmap, the due forecast, true retention, cards by state and the streak.

Everything comes from cards.stats.compute(), i.e. from the review log and the card states.
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, Static

from app.tui import render
from app.tui.actions import report_store_errors
from app.tui.widgets.charts import BarChart, HBars, Meter
from app.tui.widgets.footer import FittingFooter
from app.tui.widgets.heatmap import Heatmap

STATE_STYLES = {
    "new": "$primary",
    "learning": "$error",
    "review": "$success",
    "relearning": "$warning",
    "suspended": "$text-muted",
}
FORECAST_LABELS = {0: "today", 7: "+7d", 14: "+14d", 21: "+21d", 28: "+28d"}
WORKLOAD_LABELS = {0: "0.70", 5: "0.75", 10: "0.80", 15: "0.85", 20: "0.90", 25: "0.95"}


_PERIODS = {"today": "today", "yesterday": "yesterday", "week": "7 days", "month": "30 days",
            "year": "365 days", "all_time": "all time"}  # fmt: skip


def retention_table(table) -> Content:
    """Anki's true retention table: a row per period; young, mature and all, each the
    share passed and (the reviews)."""
    lines: list = [(f"{'period':<10}{'young':<14}{'mature':<14}all", "$text-muted")]
    for period, label in _PERIODS.items():
        r = table.get(period)
        if r is None:
            continue
        young, mature = r.young_passed + r.young_failed, r.mature_passed + r.mature_failed
        lines += ["\n", (f"{label:<10}", "$text-muted")]
        for which, n in (("young", young), ("mature", mature), ("total", young + mature)):
            rate = r.rate(which)
            lines.append(f"{'–' if rate is None else f'{rate:.1%} ({n})':<14}")
    return Content.assemble(*lines)


class StatsScreen(Screen):
    DEFAULT_CSS = """
        #stats {
            padding: 0 1;
        }
        #stats-numbers {
            height: 1;
            padding: 0 1;
        }
        .panel {
            height: auto;
            border: round $panel-lighten-2;
            border-title-color: $text-accent;
            border-subtitle-color: $text-muted;
            padding: 0 1;
        }
        #stats-row {
            height: auto;
        }
        #forecast-panel, #states-panel {
            width: 1fr;
        }
        StatsScreen.-narrow #stats-row {
            layout: vertical;
        }
        StatsScreen.-narrow #forecast-panel, StatsScreen.-narrow #states-panel {
            width: 100%;
        }
        #heatmap, #forecast, #states, #retention, #true-retention {
            width: 100%;
            height: auto;
        }
        #forecast-caption {
            height: 1;
        }
        #retention {
            margin-top: 1;
        }
        #true-retention {
            text-wrap: nowrap;  /* a table: its columns stay put */
        }
        #true-retention-panel {
            display: none;
        }
        StatsScreen.-retention #true-retention-panel {
            display: block;
        }
        StatsScreen.-retention #heatmap-panel, StatsScreen.-retention #stats-row {
            display: none;
        }
        #workload-panel {
            display: none;
        }
        StatsScreen.-workload #workload-panel {
            display: block;
        }
        StatsScreen.-workload #heatmap-panel, StatsScreen.-workload #stats-row,
        StatsScreen.-workload #true-retention-panel {
            display: none;
        }
        #workload, #workload-caption {
            width: 100%;
            height: auto;
        }
    """
    VIEW = True
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (70, "-wide")]  # panels side by side or stacked
    BINDINGS = [
        Binding("q,escape", "back", "Back", id="stats.back"),
        Binding("r", "refresh", "Refresh", show=False, id="stats.refresh"),
        Binding("t", "true_retention", "Retention", id="stats.true_retention"),
        Binding("w", "workload", "Workload", id="stats.workload"),
        Binding("o", "optimize", "Optimize", id="stats.optimize"),
        Binding("left", "pick(-1)", "Lower", id="stats.lower"),
        Binding("right", "pick(1)", "Higher", id="stats.higher"),
        Binding("enter", "use_retention", "Use it", id="stats.use_retention"),
    ]

    class Loaded(Message):
        """The numbers, computed by the worker."""

        def __init__(self, stats):
            super().__init__()
            self.stats = stats

    def __init__(self):
        super().__init__()
        self.stats = None
        self.workload = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="stats"):
            yield Static(id="stats-numbers", markup=False)
            with Vertical(id="heatmap-panel", classes="panel"):
                yield Heatmap(id="heatmap")
            with Horizontal(id="stats-row"):
                with Vertical(id="forecast-panel", classes="panel"):
                    yield BarChart(FORECAST_LABELS, id="forecast")
                    yield Static(id="forecast-caption", markup=False)
                with Vertical(id="states-panel", classes="panel"):
                    yield HBars(id="states")
                    yield Meter(id="retention")
            with Vertical(id="true-retention-panel", classes="panel"):
                yield Static(id="true-retention", markup=False)
            with Vertical(id="workload-panel", classes="panel"):
                yield BarChart(WORKLOAD_LABELS, highlight_style="$success", id="workload")
                yield Static(id="workload-caption", markup=False)
        yield FittingFooter()

    def on_mount(self) -> None:
        self.sub_title = "Stats"
        self.query_one("#heatmap-panel").border_title = "Reviews per day"
        self.query_one("#forecast-panel").border_title = "Due, next 30 days"
        self.query_one("#states-panel").border_title = "Cards"
        self.query_one("#states-panel").border_subtitle = "true retention, 30 days"
        panel = self.query_one("#true-retention-panel")
        panel.border_title = "True retention"
        panel.border_subtitle = "% passed (reviews) · mature: 21+ days"
        workload = self.query_one("#workload-panel")
        workload.border_title = "Reviews a day by desired retention"
        workload.border_subtitle = "a year simulated (fsrs-rs) · ←/→ pick · Enter use it"
        self.action_refresh()

    def on_screen_resume(self) -> None:
        if self.stats is not None:
            self.action_refresh()

    def action_refresh(self) -> None:
        self.load()

    on_worker_state_changed = report_store_errors

    @work(thread=True, exclusive=True, group="stats", exit_on_error=False)
    def load(self) -> None:
        """Read the whole review log and every state: off the event loop."""
        from cards import stats as stats_mod

        ctx = self.app.ctx
        now = ctx.clock()
        st = stats_mod.compute(
            ctx.store.reviews(), ctx.store.states(), ctx.library.cards(), ctx.settings, now
        )
        self.post_message(self.Loaded(st))

    def on_stats_screen_loaded(self, message: Loaded) -> None:
        self.stats = st = message.stats
        days = "day" if st.streak == 1 else "days"

        def reviews(n: int) -> str:
            return " review" if n == 1 else " reviews"

        self.query_one("#stats-numbers", Static).update(
            Content.assemble(
                ("Today ", "$text-muted"), (str(st.reviews_today), "bold"), reviews(st.reviews_today), " in ",
                render.duration(st.minutes_today * 60),
                ("  ·  All time ", "$text-muted"), (str(st.reviews_total), "bold"), reviews(st.reviews_total),
                ("  ·  Streak ", "$text-muted"), (str(st.streak), "bold"), f" {days}",
            )
        )  # fmt: skip
        self.query_one(Heatmap).show(st.per_day, st.today)
        self.query_one("#forecast", BarChart).values = list(st.forecast)
        f = st.forecast
        self.query_one("#forecast-caption", Static).update(
            Content.assemble(
                ("due today ", "$text-muted"), (str(f[0] if f else 0), "bold"),
                ("  tomorrow ", "$text-muted"), (str(f[1] if len(f) > 1 else 0), "bold"),
                ("  30 days ", "$text-muted"), (str(sum(f)), "bold"),
            )
        )  # fmt: skip
        self.query_one(HBars).rows = [
            (name, n, STATE_STYLES[name]) for name, n in st.states.items()
        ]
        meter = self.query_one(Meter)
        meter.value = st.retention
        if st.retention is None:
            meter.caption = "retention: –"
        else:
            meter.caption = f"retention {render.percent(st.retention)} of {st.retention_reviews}"

        self.query_one("#true-retention", Static).update(retention_table(st.true_retention))

    def action_true_retention(self) -> None:
        """Show the true retention table in place of the charts, or the charts again."""
        self.remove_class("-workload")
        self.toggle_class("-retention")
        self.refresh_bindings()

    # -- desired retention by its workload ---------------------------------------------

    class Simulated(Message):
        """A year simulated at each retention (cards.workload), by the worker."""

        def __init__(self, workload):
            super().__init__()
            self.workload = workload

    def action_workload(self) -> None:
        """Show what each desired retention costs in reviews a day, or the charts again."""
        self.remove_class("-retention")
        self.toggle_class("-workload")
        self.refresh_bindings()
        if self.has_class("-workload") and self.workload is None:
            self.query_one("#workload-caption", Static).update("simulating a year of study ...")
            self.simulate()

    @work(thread=True, exclusive=True, group="workload", exit_on_error=False)
    def simulate(self) -> None:
        from cards import workload

        ctx = self.app.ctx
        self.post_message(self.Simulated(workload.simulate(ctx.settings, len(ctx.library.cards()))))

    def on_stats_screen_simulated(self, message: Simulated) -> None:
        self.workload = w = message.workload
        current = self.app.ctx.settings.desired_retention
        chart = self.query_one("#workload", BarChart)
        chart.values = list(w.reviews_per_day)
        chart.highlight = min(
            range(len(w.retentions)), key=lambda i: abs(w.retentions[i] - current)
        )
        self._caption()

    def _caption(self) -> None:
        w = self.workload
        i = self.query_one("#workload", BarChart).highlight
        current = self.app.ctx.settings.desired_retention
        parts: list = [
            (f"{w.retentions[i]:.2f}", "bold"), ": ", (f"{w.reviews_per_day[i]:.1f}", "bold"),
            " reviews a day, ", (f"{w.memorized[i]:,.0f}", "bold"), " cards remembered after a year",
            ("\nin use ", "$text-muted"), f"{current:.2f}",
        ]  # fmt: skip
        if w.optimal is not None:
            parts += [("  ·  least work per card remembered ", "$text-muted"), f"{w.optimal:.2f}"]
        self.query_one("#workload-caption", Static).update(Content.assemble(*parts))

    def check_action(self, action: str, parameters) -> bool | None:
        if action in ("pick", "use_retention"):
            return self.has_class("-workload") and self.workload is not None
        return True

    def action_pick(self, step: int) -> None:
        chart = self.query_one("#workload", BarChart)
        chart.highlight = min(max(chart.highlight + step, 0), len(self.workload.retentions) - 1)
        self._caption()

    def action_use_retention(self) -> None:
        """Set the chosen retention as desired_retention (config.toml)."""
        from cards import config

        chosen = self.workload.retentions[self.query_one("#workload", BarChart).highlight]
        ctx = self.app.ctx
        try:
            config.set_value(ctx.home, "desired_retention", str(chosen))
        except (OSError, config.ConfigError) as e:
            self.notify(f"Not saved: {e}", severity="error", markup=False)
            return
        ctx.settings = ctx.settings.replace(desired_retention=chosen)
        self.notify(f"Desired retention is now {chosen:.2f}: it shapes every interval from now on.",
                    markup=False)  # fmt: skip
        self._caption()

    def action_optimize(self) -> None:
        """Fit FSRS to the review log (the scheduling dialog)."""
        from app.tui import nav

        self.app.push_screen(nav.screen_class("scheduling")())

    def action_back(self) -> None:
        self.app.back()
