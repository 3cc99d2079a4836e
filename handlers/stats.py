"""/stats: demand figures for organisers — delegates, the bookmarks chart and CSV, recent deliveries."""

from __future__ import annotations

from telegram import InputFile, Update

from bot.broadcast import audience_of
from bot.stats import demand, demand_chart, demand_csv
from bot.storage import audiences, audit, bookmarks, users
from bot.storage import broadcasts as store
from bot.views import stats as views
from bot.views.broadcast import audience_label
from handlers.common import private_only, send, user_lang
from handlers.context import BotContext
from handlers.organisers import organiser_only


@organiser_only
@private_only
async def stats_command(update: Update, context: BotContext) -> None:
    """Send the figures, then the chart as a photo and the CSV as a document."""
    services, lang = context.services, user_lang(update, context)
    db, programme = services.database, services.programme
    rows = demand(programme, await bookmarks.count_by_session(db))
    recent = [
        (b, await store.delivery(db, b.batch), audience_label(audience_of(b, programme), programme, lang))
        for b in await store.recent(db)
    ]
    await send(
        update,
        views.stats_view(
            programme, await users.count_users(db), await audiences.language_counts(db), rows, recent, lang
        ),
    )
    chat = update.effective_chat
    assert chat is not None and update.effective_user is not None
    chart = demand_chart(rows, views.chart_labels(programme, lang))
    await chat.send_photo(InputFile(chart, filename="demand.png"), caption=views.chart_caption(lang))
    table = demand_csv(rows, programme)
    await chat.send_document(InputFile(table, filename="demand.csv"), caption=views.csv_caption(lang))
    await audit.record(db, update.effective_user.id, "stats.view", services.clock.now(), count=len(rows))
