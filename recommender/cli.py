"""The `oppradar` command: every stage of DESIGN.md's CLI contract, errors as one line and an exit code."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import click

from recommender import pipeline
from recommender.output import RENDERERS
from recommender.publish import SEGMENTS, read_list
from store.db import get_engine
from store.errors import BadInputError, OppradarError
from store.settings import get_settings
from store.weeks import parse_week


def _week(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return parse_week(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc


def _pairs(values: tuple[str, ...], flag: str) -> dict[str, str]:
    out = {}
    for item in values:
        key, sep, val = item.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"{item!r} is not key=value", param_hint=flag)
        out[key] = val
    return out


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="Log debug details.")
def cli(verbose: bool) -> None:
    """oppradar: finds product needs that grow while factory supply is thin, and ranks them weekly."""
    logging.basicConfig(level=logging.DEBUG if verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s", datefmt="%H:%M:%S")
    logging.getLogger("jieba").setLevel(logging.WARNING)


@cli.command()
@click.argument("spider")
@click.option("-a", "spider_args", multiple=True, metavar="KEY=VALUE",
              help="Spider argument, e.g. -a keywords=车载冰箱,收纳 -a base_url=http://127.0.0.1:8000")
@click.option("-s", "overrides", multiple=True, metavar="NAME=VALUE", help="Scrapy setting override.")
def crawl(spider: str, spider_args: tuple[str, ...], overrides: tuple[str, ...]) -> None:
    """Run a Scrapy spider with the project settings (in its own process)."""
    from crawlers.runner import run_spider

    stats = run_spider(spider, _pairs(spider_args, "-a"), _pairs(overrides, "-s"))
    click.echo(_crawl_summary(spider, stats))


def _crawl_summary(spider: str, stats: dict) -> str:
    keys = ("items", "inserted", "updated", "dropped", "errors", "retries")
    parts = [f"{k} {stats[k]}" for k in keys if k in stats]
    return f"{spider}: " + (", ".join(parts) if parts else str(stats))


@cli.group(name="import")
def import_() -> None:
    """Import posts or offers that other tools already fetched."""


@import_.command(name="posts")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["jsonl", "mediacrawler"]), required=True)
def import_posts_cmd(paths: tuple[Path, ...], fmt: str) -> None:
    """Import posts: JSONL Post records, or MediaCrawler exports (files or its data/ folder)."""
    from crawlers.importers import import_posts

    settings = get_settings()
    report = import_posts(get_engine(settings.database_url), list(paths), fmt, settings=settings)
    click.echo(report.summary())


@import_.command(name="offers")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
def import_offers_cmd(paths: tuple[Path, ...]) -> None:
    """Import offers: CSV (UTF-8 or GBK), XLSX or JSONL."""
    from crawlers.importers import import_offers

    settings = get_settings()
    report = import_offers(get_engine(settings.database_url), list(paths), settings=settings)
    click.echo(report.summary())


@cli.command()
@click.option("--week", callback=_week, help="Only this ISO week (e.g. 2026-W47); default every week.")
@click.option("--workers", type=click.IntRange(min=1), default=os.cpu_count() or 1, show_default="CPUs",
              help="Processes that read the posts (the output is the same with any number).")
def build(week: str | None, workers: int) -> None:
    """Extract needs, aggregate weeks, match supply and build the candidate table."""
    stats = pipeline.build(get_engine(), week, workers)
    click.echo(_build_summary(stats))


def _build_summary(stats: dict) -> str:
    weeks = stats.get("weeks") or []
    needs, opps = stats.get("needs", {}), stats.get("opportunities", {})
    span = f"{weeks[0]}..{weeks[-1]}" if len(weeks) > 1 else "".join(weeks)
    return (f"built {len(weeks)} week(s) {span}: {needs.get('posts_read', 0)} posts read, "
            f"{needs.get('needs_written', 0)} needs, {opps.get('opportunities_written', 0)} opportunities")


@cli.command()
@click.option("--dask-scheduler", metavar="ADDRESS",
              help="Train with lightgbm.dask on this Dask scheduler (e.g. tcp://10.0.0.5:8786).")
def train(dask_scheduler: str | None) -> None:
    """Train a ranker; promote it only if it beats the current model on the latest back-test."""
    report = pipeline.train(get_engine(), get_settings(), dask_scheduler)
    click.echo(report.summary() if hasattr(report, "summary") else str(report))


@cli.command()
def evaluate() -> None:
    """Back-test the promoted model against the baselines on the latest labelled weeks."""
    from models.evaluate import evaluate as run_evaluate

    click.echo(_metrics_table(run_evaluate(get_engine())))


METRICS = ("ndcg@5", "ndcg@10", "map", "p@10")


def _metrics_table(result: dict) -> str:
    lines = [f"model {result.get('model_id')} on {', '.join(result.get('weeks', []))} "
             f"({result.get('rows', 0)} rows)", f"{'':<22}" + "".join(f"{m:>9}" for m in METRICS)]
    for name, metrics in (result.get("metrics") or {}).items():
        lines.append(f"{name:<22}" + "".join(f"{metrics.get(m, float('nan')):>9.3f}" for m in METRICS))
    if result.get("note"):
        lines.append(f"note: {result['note']}")
    backtest = (result.get("card_backtest") or {}).get("metrics", {}).get("model")
    if backtest:
        lines.append("back-test at training: " + ", ".join(f"{m} {backtest[m]:.3f}" for m in METRICS))
    return "\n".join(lines)


@cli.group()
def models() -> None:
    """List, promote or roll back trained models."""


@models.command(name="list")
def models_list() -> None:
    """List trained models, newest first, with their back-test NDCG@10."""
    from models.registry import list_models

    for m in list_models(get_engine()):
        m = dict(m)
        ndcg = ((m.get("metrics") or {}).get("model") or {}).get("ndcg@10")
        ndcg_text = f"{ndcg:.3f}" if isinstance(ndcg, (int, float)) else "-"
        created = f"{m['created_at']:%Y-%m-%d %H:%M}" if m.get("created_at") else "-"
        click.echo(f"{m['model_id']}  {m['status']:<11}  created {created} UTC  "
                   f"back-test ndcg@10 {ndcg_text}")


@models.command(name="promote")
@click.argument("model_id")
def models_promote(model_id: str) -> None:
    """Serve MODEL_ID from now on."""
    from models.registry import promote

    promote(get_engine(), model_id)
    click.echo(f"promoted {model_id}")


@models.command(name="rollback")
def models_rollback() -> None:
    """Go back to the previously promoted model."""
    from models.registry import rollback

    click.echo(f"rolled back to {rollback(get_engine())}")


@cli.command()
@click.option("--week", callback=_week, help="ISO week to rank; default the latest built week.")
def rank(week: str | None) -> None:
    """Score a week with the promoted model and publish its lists."""
    stats = pipeline.rank(get_engine(), week)
    published = ", ".join(f"{seg} {n}" for seg, n in stats["published"].items())
    click.echo(f"ranked {stats['ranked']} opportunities of {stats['week']} with {stats['model_id']}; "
               f"published {published}")


@cli.command(name="list")
@click.option("--week", callback=_week, help="ISO week; default the latest published.")
@click.option("--segment", type=click.Choice(SEGMENTS), default="creator", show_default=True)
@click.option("--top", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--format", "fmt", type=click.Choice(list(RENDERERS)), default="table", show_default=True)
def list_(week: str | None, segment: str, top: int, fmt: str) -> None:
    """Print a published weekly list."""
    week, items = read_list(get_engine(), week, segment, top)
    if fmt == "table":
        click.echo(f"{week} · {segment} · {len(items)} opportunities")
    click.echo(RENDERERS[fmt](items))


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=5000, show_default=True)
def serve(host: str, port: int) -> None:
    """Serve the site and the JSON API."""
    from recommender.demo import serve_site

    serve_site(host, port)


@cli.command()
@click.option("--port", type=int, default=5000, show_default=True, help="Port of the site.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--seed", type=int, default=7, show_default=True, help="Seed of the sandbox world.")
@click.option("--no-serve", is_flag=True, help="Do everything but serve; print the top 10 and exit.")
def demo(port: int, host: str, seed: int, no_serve: bool) -> None:
    """Build the sandbox world, crawl it, build, train, rank, and serve the site."""
    from recommender.demo import run_demo

    run_demo(seed=seed, host=host, port=port, serve=not no_serve)


@cli.command()
def schedule() -> None:
    """Run the scheduler: crawl daily, build and publish weekly, retrain monthly."""
    from recommender.schedule import run

    run()


def main(argv: list[str] | None = None) -> None:
    """Entry point: user errors become one line on stderr and exit code 2 (bad input) or 1."""
    try:
        cli.main(args=argv, prog_name="oppradar", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2)
    except BadInputError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except OppradarError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
