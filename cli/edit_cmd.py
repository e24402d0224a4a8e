"""`arsip edit` and `arsip refile`: correct a document, or re-file after rules changed."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import click

from arsip.errors import ConfigError, NotFound
from config.settings import Settings


def _context(settings: Settings) -> Any:
    from workers.context import Context
    from workers.filing import check_template

    check_template(settings.filename_template)
    return Context.build(settings)


def update_index(settings: Settings, ctx: Any) -> None:
    """Embedded: commit now. Distributed: nudge the one index writer."""
    if settings.embedded:
        from index.writer import apply_pending

        apply_pending(settings.index_path, ctx.layout.index_pending, ctx.archive,
                      batch_size=settings.index_batch_size)
        return
    from workers.actors import install
    from workers.broker import make_broker

    install(ctx, make_broker(settings)).index.send()


def retagged(tags: list[str], old_type: str, new_type: str,
             tags_of_types: dict[str, tuple[str, ...]]) -> list[str]:
    """The tags after a change of type: the old type's tags give way to the new type's."""
    kept = [t for t in tags if t not in tags_of_types.get(old_type, ())]
    return kept + [t for t in tags_of_types.get(new_type, ()) if t not in kept]


@click.command()
@click.argument("doc_id")
@click.option("--type", "type_", default=None, help="Document type slug, e.g. invoice.")
@click.option("--correspondent", default=None)
@click.option("--title", default=None)
@click.option("--date", "created", default=None, help="Document date, YYYY-MM-DD.")
@click.option("--tags", default=None, help="Comma-separated tags (replaces the tags).")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def edit(ctx: click.Context, doc_id: str, type_: str | None, correspondent: str | None,
         title: str | None, created: str | None, tags: str | None, as_json: bool) -> None:
    """Correct a document's type, correspondent, title, date or tags; it is re-filed."""
    from cli.common import find_record as _find_record
    from cli.common import settings_of as _settings
    from workers.refile import apply_changes

    settings = _settings(ctx)
    record = _find_record(settings, doc_id)
    context = _context(settings)
    changes: dict[str, Any] = {}
    if type_ is not None:
        if type_ not in context.rules.type_slugs:
            raise ConfigError(f"unknown document type {type_!r}",
                              advice=f"Use one of {', '.join(context.rules.type_slugs)}")
        changes["type"] = type_
    if correspondent is not None:
        changes["correspondent"] = correspondent.strip() or None
    if title is not None:
        changes["title"] = title.strip()
    if created is not None:
        try:
            changes["created"] = date.fromisoformat(created).isoformat()
        except ValueError as exc:
            raise click.BadParameter(f"{created!r} is not YYYY-MM-DD", param_hint="--date") \
                from exc
    if tags is not None:
        changes["tags"] = [t.strip() for t in tags.split(",") if t.strip()]
    elif type_ is not None and type_ != record.get("type"):
        changes["tags"] = retagged(record.get("tags") or [], record.get("type") or "", type_,
                                   context.rules.tags_of_types())
    if not changes:
        raise click.UsageError("say what to change: --type, --correspondent, --title, --date "
                               "or --tags")
    move = apply_changes(context, record["id"], changes, manual=True)
    update_index(settings, context)
    result = {"id": move.doc_id, "old": str(settings.archive_path / move.old),
              "path": str(settings.archive_path / move.new), "changes": move.changes}
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        click.echo(f"{result['old']}\n  -> {result['path']}" if move.old != move.new
                   else f"updated {move.doc_id} (path unchanged)")


@click.command()
@click.option("--dry-run", is_flag=True, help="Only list the moves.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def refile(ctx: click.Context, dry_run: bool, as_json: bool) -> None:
    """Re-classify every document with today's rules and template, and move what changed."""
    from cli.common import settings_of as _settings
    from workers.refile import apply_changes, plan_refile

    settings = _settings(ctx)
    context = _context(settings)
    moves = plan_refile(context)
    done = []
    for move in moves:
        if dry_run:
            done.append(move)
            continue
        try:
            done.append(apply_changes(context, move.doc_id, move.changes, manual=False))
        except KeyError as exc:
            raise NotFound(f"document {move.doc_id} vanished during refile") from exc
    if moves and not dry_run:
        update_index(settings, context)
    rows = [{"id": m.doc_id, "old": m.old, "new": m.new, "changes": m.changes} for m in done]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        click.echo(f"{row['old']}\n  -> {row['new']}")
    verb = "would move" if dry_run else "moved"
    click.echo(f"{verb} {sum(1 for r in rows if r['old'] != r['new'])} document(s); "
               f"{len(rows)} changed")


@click.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def train(ctx: click.Context, as_json: bool) -> None:
    """Train the auto classifier on the filed archive now (the index writer also does so)."""
    from cli.common import settings_of as _settings
    from workers.context import model_dir
    from workers.learning import train as train_model

    settings = _settings(ctx)
    context = _context(settings)
    meta = train_model(context.archive, model_dir(context.layout))
    if as_json:
        click.echo(json.dumps(meta, ensure_ascii=False, indent=2))
        return
    learned = ", ".join(f"{name}: {len(labels)} labels" for name, labels in
                        meta["classes"].items())
    click.echo(f"trained on {meta['documents']} documents ({learned or 'too few to learn'})")
