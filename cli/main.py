"""The `arsip` command. Errors are decided here: a message on stderr and a meaningful exit code."""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import sys
import threading
from datetime import date
from pathlib import Path
from typing import Any

import click

from arsip import __version__
from arsip.errors import ArsipError, ExitCode, NotFound
from cli.common import find_record as _find_record
from cli.common import settings_of as _settings
from cli.logsetup import configure_logging
from config.settings import Settings


def _print_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="arsip")
@click.option("--config", "config", type=click.Path(path_type=Path), default=None,
              help="arsip.toml to read (default: $ARSIP_CONFIG, else ./arsip.toml).")
@click.option("--home", type=click.Path(path_type=Path), default=None,
              help="Data folder (default: $ARSIP_HOME, else ./data).")
@click.option("--log-level", default="INFO", show_default=True,
              type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"], case_sensitive=False))
@click.option("--log-format", default="text", show_default=True,
              type=click.Choice(["text", "json"]))
@click.pass_context
def cli(ctx: click.Context, config: Path | None, home: Path | None, log_level: str,
        log_format: str) -> None:
    """arsip: files every document dropped into the inbox, and finds it again."""
    configure_logging(log_level, log_format)
    ctx.ensure_object(dict).update(config=config, flags={"home": home})


def _config_option(f: Any) -> Any:
    """Every command also takes --config after its name."""
    def callback(ctx: click.Context, _param: click.Parameter, value: Path | None) -> None:
        if value is not None:
            ctx.ensure_object(dict)["config"] = value
    return click.option("--config", type=click.Path(path_type=Path), expose_value=False,
                        callback=callback, is_eager=True,
                        help="arsip.toml to read.")(f)


@cli.command()
@_config_option
@click.option("--polling", is_flag=True, default=None, help="Poll the inbox (network shares).")
@click.option("--threads", type=int, default=None,
              help="Documents in flight (default: two per core).")
@click.option("--metrics-port", type=click.IntRange(1, 65535), default=None,
              help="Serve Prometheus metrics on this port (127.0.0.1; see metrics_address).")
@click.pass_context
def run(ctx: click.Context, polling: bool | None, threads: int | None,
        metrics_port: int | None) -> None:
    """Watch the inbox and process documents, all in this process (no Redis needed)."""
    from cli.signals import stop_on_signals

    stop = stop_on_signals()
    from cli.runtime import run_embedded
    from cli.startup import check_all

    ctx.obj["flags"].update(polling=polling, worker_threads=threads, metrics_port=metrics_port)
    settings = _settings(ctx)
    if not settings.embedded:
        click.echo("note: ARSIP_BROKER_URL is set; `arsip run` still processes everything "
                   "itself and sends through Redis", err=True)
    check_all(settings)
    run_embedded(settings, stop)


@cli.command()
@_config_option
@click.option("--polling", is_flag=True, default=None, help="Poll the inbox (network shares).")
@click.pass_context
def watch(ctx: click.Context, polling: bool | None) -> None:
    """Watch the inbox and send claimed files to the workers over Redis."""
    from cli.signals import stop_on_signals

    stop = stop_on_signals()
    from cli.runtime import run_watch
    from cli.startup import check_all

    ctx.obj["flags"].update(polling=polling)
    settings = _settings(ctx)
    _require_redis(settings, "watch")
    check_all(settings, ocr=False)
    run_watch(settings, stop)


def _require_redis(settings: Settings, command: str) -> None:
    if settings.embedded:
        raise ArsipError(
            f"`arsip {command}` is for distributed mode and needs ARSIP_BROKER_URL",
            advice="Set ARSIP_BROKER_URL=redis://HOST:6379/0, or use `arsip run` on one machine",
        )


@cli.command()
@_config_option
@click.option("--queues", default="documents", show_default=True,
              help="Comma-separated queues: documents, index (index: exactly one worker).")
@click.option("--threads", type=int, default=None,
              help="Documents in flight per process (default: two per core).")
@click.option("--processes", type=int, default=1, show_default=True,
              help="Worker processes to start (each with --threads threads).")
@click.option("--metrics-port", type=click.IntRange(1, 65535), default=None,
              help="Serve Prometheus metrics on this port (with --processes N: PORT…PORT+N-1).")
@click.pass_context
def worker(ctx: click.Context, queues: str, threads: int | None, processes: int,
           metrics_port: int | None) -> None:
    """Process documents (or write the index) from Redis."""
    from cli.signals import stop_on_signals

    stop = stop_on_signals()
    from cli.runtime import run_worker
    from cli.startup import check_all

    ctx.obj["flags"].update(metrics_port=metrics_port)
    settings = _settings(ctx)
    _require_redis(settings, "worker")
    wanted = {q.strip() for q in queues.split(",") if q.strip()}
    unknown = wanted - {"documents", "index"}
    if unknown:
        raise click.UsageError(f"unknown queue(s): {', '.join(sorted(unknown))}")
    check_all(settings, ocr="documents" in wanted)
    if "index" in wanted and processes > 1:
        raise click.UsageError("the index has exactly one writer: use --processes 1 with "
                               "--queues index")
    if processes > 1:
        _fork_workers(processes, settings, wanted, threads or settings.threads, stop)
        return
    run_worker(settings, wanted, threads or settings.threads, stop)


def _fork_workers(processes: int, settings: Settings, queues: set[str], threads: int,
                  stop: Any) -> None:
    """N worker processes; a stop signal to this parent is passed on to each of them."""
    import multiprocessing

    from cli.runtime import run_worker

    spawn = multiprocessing.get_context("spawn")
    port = settings.metrics_port  # one metrics port per process: PORT, PORT+1, …
    children = [spawn.Process(target=run_worker, args=(
                    settings.replaced(metrics_port=port + n) if port else settings,
                    queues, threads))
                for n in range(processes)]
    for child in children:
        child.start()
    while any(child.is_alive() for child in children):
        if stop.wait(0.5):
            for child in children:
                if child.is_alive():
                    child.terminate()  # SIGTERM: each finishes or hands back its work
            for child in children:
                child.join()


@cli.command()
@_config_option
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--wait/--no-wait", default=False,
              help="Return when every file is filed or failed (always so when embedded).")
@click.option("--json", "as_json", is_flag=True, help="Print the outcomes as JSON.")
@click.pass_context
def ingest(ctx: click.Context, paths: tuple[Path, ...], wait: bool, as_json: bool) -> None:
    """Import existing files or folders through the same pipeline as the inbox."""
    settings = _settings(ctx)
    if settings.embedded:
        from workers.extraction_start import start_extraction

        start_extraction()  # its imports run while this process imports the rest
    from cli.runtime import files_under
    from cli.runtime import ingest as do_ingest
    from cli.startup import check_all

    missing = [str(p) for p in paths if not p.exists() and not p.is_symlink()]
    if missing:
        raise NotFound(f"no such file or folder: {', '.join(missing)}")
    check_all(settings)
    from cli.progress import Progress

    total = sum(1 for _ in files_under(list(paths), settings.ignore_patterns))
    # A bar on a terminal; elsewhere (logs, CI) one plain line per file.
    bar = Progress("ingest", total, interactive=sys.stderr.isatty() and not as_json,
                   plain_every=None)

    def progress(outcome: dict[str, Any]) -> None:
        line = (f"{outcome['status']}: {outcome['original']}"
                + (f" -> {outcome.get('path')}" if outcome.get("path") else "")
                + (f" ({outcome.get('reason')})" if outcome.get("reason") else ""))
        if not bar.interactive:
            click.echo(line, err=True)
            return
        if outcome["status"] == "failed":
            bar.echo(line)
        bar.advance(note=f"{outcome['status']} {outcome['name']}")

    with bar:
        outcomes = do_ingest(settings, list(paths), wait=wait, progress=progress)
    if as_json:
        _print_json(outcomes)
    else:
        counts: dict[str, int] = {}
        for o in outcomes:
            counts[o["status"]] = counts.get(o["status"], 0) + 1
        click.echo(", ".join(f"{v} {k}" for k, v in sorted(counts.items())) or "nothing to do")
    if any(o["status"] == "failed" for o in outcomes):
        sys.exit(ExitCode.failure)


def _parse_date(value: str | None, option: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not a date; write YYYY-MM-DD",
                                 param_hint=option) from exc


@cli.command()
@_config_option
@click.argument("query", nargs=-1)
@click.option("--json", "as_json", is_flag=True, help="Print hits as JSON.")
@click.option("--limit", type=click.IntRange(1, 10_000), default=10, show_default=True)
@click.option("--type", "type_", default=None, help="Only this document type.")
@click.option("--correspondent", default=None, help="Only from this correspondent.")
@click.option("--tag", default=None, help="Only with this tag.")
@click.option("--from", "date_from", default=None, help="Created on or after YYYY-MM-DD.")
@click.option("--to", "date_to", default=None, help="Created on or before YYYY-MM-DD.")
@click.option("--sort", type=click.Choice(["relevance", "date"]), default="relevance",
              show_default=True)
@click.option("--like", "like", default=None, metavar="ID", help="Documents similar to ID.")
@click.option("--facets", is_flag=True, help="Also count hits by type, correspondent, year.")
@click.option("--timing", is_flag=True, hidden=True,
              help="Print the search's own time by stage (seconds, JSON) on stderr.")
@click.pass_context
def search(ctx: click.Context, query: tuple[str, ...], as_json: bool, limit: int,
           type_: str | None, correspondent: str | None, tag: str | None,
           date_from: str | None, date_to: str | None, sort: str, like: str | None,
           facets: bool, timing: bool) -> None:
    """Search the archive: words, "phrases", type:invoice, created:[2026-01-01 to 2026-03-31]."""
    from cli.render import facets_table, hits_table
    from index.search import Filters
    from index.search import search as run_search

    settings = _settings(ctx)
    filters = Filters(type=type_, correspondent=correspondent, tag=tag,
                      date_from=_parse_date(date_from, "--from"),
                      date_to=_parse_date(date_to, "--to"))
    if like:
        like = _find_record(settings, like)["id"]
    result = run_search(settings.index_path, " ".join(query), filters=filters, limit=limit,
                        sort=sort, like=like, facets=facets, count=not as_json)
    if timing:
        click.echo("timing: " + json.dumps({k: round(v, 6) for k, v in result.timings.items()}),
                   err=True)
    if result.suggestion:
        click.echo(f"Did you mean: {result.suggestion}", err=True)
    if as_json:
        _print_json({"hits": result.hits, "facets": result.facets} if facets else result.hits)
        return
    click.echo(hits_table(result.hits))
    if result.total > len(result.hits):
        click.echo(f"({len(result.hits)} of {result.total} shown; use --limit for more)")
    if facets:
        click.echo("\n" + facets_table(result.facets))


@cli.command()
@_config_option
@click.option("--repair", is_flag=True, help="Re-index what is missing, stale or orphaned.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def check(ctx: click.Context, repair: bool, as_json: bool) -> None:
    """Compare the index with the sidecars; --repair fixes the differences."""
    from dataclasses import asdict

    from index.check import check_index, repair_index
    from intake.state import StateLayout

    settings = _settings(ctx)
    report = check_index(settings.index_path, settings.archive_path)
    repaired = 0
    if repair and not report.ok:
        repaired = repair_index(settings.index_path, settings.archive_path,
                                StateLayout.of(settings).index_pending, report,
                                batch_size=settings.index_batch_size)
    if as_json:
        _print_json({**asdict(report), "ok": report.ok, "repaired": repaired})
    else:
        click.echo(f"{report.sidecars} documents, {report.indexed} indexed: "
                   f"{len(report.missing)} missing, {len(report.stale)} stale, "
                   f"{len(report.orphaned)} orphaned"
                   + (f"; repaired {repaired}" if repaired else ""))
    if not report.ok and not repair:
        click.echo("run `arsip check --repair` to fix the index", err=True)
        sys.exit(ExitCode.index_error)


@cli.command()
@_config_option
@click.argument("doc_id")
@click.option("--json", "as_json", is_flag=True)
@click.option("--text", "with_text", is_flag=True, help="Also print the extracted text.")
@click.pass_context
def show(ctx: click.Context, doc_id: str, as_json: bool, with_text: bool) -> None:
    """One document's metadata (and, with --text, its extracted text)."""
    from arsip.keyfields import key_fields
    from cli.render import key_field_rows, key_values

    settings = _settings(ctx)
    record = _find_record(settings, doc_id)
    record["path"] = str(settings.archive_path / record["path"])
    record.update(key_fields(record))
    content = record.pop("content", "")
    if as_json:
        if with_text:
            record["content"] = content
        _print_json(record)
        return
    extraction = record.get("extraction", {})
    blank = extraction.get("blank_pages") or []
    click.echo(key_values([
        ("id", record["id"]), ("title", record.get("title")), ("type", record.get("type")),
        ("correspondent", record.get("correspondent") or "unknown"),
        ("created", f"{record.get('created')} (from {record.get('created_source')})"),
        ("number", record.get("number")), *key_field_rows(record),
        ("tags", ", ".join(record.get("tags") or [])),
        ("language", record.get("language")), ("path", record["path"]),
        ("original", record.get("original_path")), ("added", record.get("added")),
        ("pages", f"{extraction.get('page_count')} ({extraction.get('ocr_pages')} by OCR)"),
        ("confidence", extraction.get("confidence")),
        ("blank pages", ", ".join(map(str, blank)) if blank else "none"),
        ("flags", "; ".join(extraction.get("flags") or []) or "none"),
        ("sha256", record.get("sha256")),
    ]))
    if with_text:
        click.echo("\n" + content)


@cli.command()
@_config_option
@click.option("--json", "as_json", is_flag=True)
@click.option("--watch", "every", type=click.FloatRange(min=0.2), is_flag=False, flag_value=2.0,
              default=None, metavar="[SECONDS]",
              help="Refresh every SECONDS (default 2) until Ctrl-C; with --json, a line each.")
@click.pass_context
def status(ctx: click.Context, as_json: bool, every: float | None) -> None:
    """Counts by state, queues, workers, index health, oldest waiting file, recent failures."""
    from cli.report import status as collect
    from cli.status_view import show

    settings = _settings(ctx)
    show(lambda: collect(settings), home=str(settings.home), as_json=as_json, every=every)


@cli.command()
@_config_option
@click.argument("claim_ids", nargs=-1)
@click.option("--all", "retry_all", is_flag=True, help="Retry every quarantined file.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def retry(ctx: click.Context, claim_ids: tuple[str, ...], retry_all: bool, as_json: bool) -> None:
    """Send quarantined files (failed/) through the pipeline again."""
    from cli.runtime import retry as do_retry
    from cli.startup import check_all
    from intake.quarantine import list_failed
    from intake.state import StateLayout

    settings = _settings(ctx)
    known = [f["claim_id"] for f in list_failed(StateLayout.of(settings))]
    wanted = known if retry_all else list(claim_ids)
    if not wanted:
        raise click.UsageError("name the failed ids to retry (see `arsip status`), or --all")
    unknown = [c for c in wanted if c not in known]
    if unknown:
        raise NotFound(f"not in failed/: {', '.join(unknown)}",
                       advice="See `arsip status` for the ids of quarantined files")
    check_all(settings)
    outcomes = do_retry(settings, wanted, wait=True)
    if as_json:
        _print_json(outcomes)
    else:
        for o in outcomes:
            click.echo(f"{o['status']}: {o['name']}" + (f" ({o['reason']})" if o.get("reason")
                                                        else ""))


@cli.command()
@_config_option
@click.pass_context
def reindex(ctx: click.Context) -> None:
    """Rebuild the search index from the sidecars (no OCR)."""
    from cli.progress import reindex_with_progress
    from intake.state import StateLayout

    settings = _settings(ctx)
    count = reindex_with_progress(settings.index_path, settings.archive_path,
                                  StateLayout.of(settings).index_pending)
    click.echo(f"reindexed {count} document(s) into {settings.index_path}")


@cli.command()
@_config_option
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def explain(ctx: click.Context, file: Path, as_json: bool) -> None:
    """What arsip would decide for FILE, and why (nothing is filed)."""
    from cli.render import key_field_rows
    from workers.classify import classify
    from workers.context import Context
    from workers.extract import extract_text
    from workers.learning import apply_auto

    settings = _settings(ctx)
    context = Context.build(settings)
    extraction = extract_text(file, settings)
    decision = classify(extraction.text, rules=context.rules,
                        file_name=file.name, file_mtime=file.stat().st_mtime,
                        folder_tags=[], date_order=settings.date_order)
    if context.auto is not None:  # rules and the classifier, side by side
        apply_auto(decision, context.auto.predict(extraction.text))
    data = {**decision.as_dict(), "extraction": extraction.summary()}
    if as_json:
        _print_json(data)
        return
    reasons = data.pop("reasons")
    for key in ("type", "correspondent", "created", "created_source", "title", "number"):
        click.echo(f"{key:<15} {data[key]}")
    for name, value in key_field_rows(data):
        click.echo(f"{name:<15} {value}")
    for key in ("tags", "language"):
        click.echo(f"{key:<15} {data[key]}")
    click.echo("\nwhy:")
    click.echo(json.dumps(reasons, ensure_ascii=False, indent=2))


def _add_operations_commands() -> None:
    from cli.config_cmd import config_group
    from cli.doctor import doctor_command

    cli.add_command(config_group)
    cli.add_command(doctor_command)


_add_operations_commands()


def _register_commands() -> None:
    from cli.edit_cmd import edit, refile, train

    cli.add_command(edit)
    cli.add_command(refile)
    cli.add_command(train)


_register_commands()


def main() -> None:
    """The `arsip` command: run it, then leave without tearing the interpreter down."""
    try:
        _main()
    except SystemExit as exc:
        _exit_now(exc.code)
    _exit_now(0)


def _exit_now(code: object) -> None:
    """Exit as sys.exit(code) would, but without Python's module-by-module teardown of the
    interpreter (20-35 ms after `arsip ingest` with its worker's modules, a tenth of an
    `arsip search`): output flushed and exit handlers run (logging's, multiprocessing's
    clean-up of its forkserver and temporary folder), then the process ends. With a thread
    still running that is not a daemon, the ordinary exit waits for it, as before."""
    if isinstance(code, str):
        print(code, file=sys.stderr)
        code = 1
    status = code if isinstance(code, int) else 0 if code is None else 1
    if any(not t.daemon for t in threading.enumerate() if t is not threading.main_thread()):
        sys.exit(status)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):  # what the handlers wrote
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(status)


def _main() -> None:
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(ExitCode.interrupted)
    except click.ClickException as exc:
        exc.show()
        sys.exit(ExitCode.usage)
    except ArsipError as exc:
        click.echo(f"arsip: error: {exc.message}", err=True)
        if exc.advice:
            click.echo(f"  what to do: {exc.advice}", err=True)
        sys.exit(int(exc.exit_code))
    except KeyboardInterrupt:
        sys.exit(ExitCode.interrupted)


if __name__ == "__main__":
    main()
