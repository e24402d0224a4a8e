"""Shared benchmark helpers: documents, measured processes, statistics, tables and reports.

Everything here uses public tools only: the `arsip` command as a subprocess, reportlab and
Pillow to make documents, `os.wait4` for CPU time and peak RSS, /proc for live memory samples.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import json
import math
import os
import platform
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "bench" / "out"
DEFAULT_ARSIP = ROOT / ".venv" / "bin" / "arsip"
CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE_SIZE_KB = os.sysconf("SC_PAGE_SIZE") // 1024

# --------------------------------------------------------------------------------------------
# Processes: every child runs in its own session so that stopping it stops its whole tree.
# --------------------------------------------------------------------------------------------

_LIVE: dict[int, subprocess.Popen[bytes]] = {}
_LIVE_LOCK = threading.Lock()


def _kill_group(pid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, sig)


def cleanup_processes() -> None:
    """Stop every child still running (SIGTERM, then SIGKILL), by process group id."""
    with _LIVE_LOCK:
        procs = list(_LIVE.values())
    for proc in procs:
        if proc.poll() is None:
            _kill_group(proc.pid, signal.SIGTERM)
    deadline = time.monotonic() + 10
    for proc in procs:
        with contextlib.suppress(subprocess.TimeoutExpired, ChildProcessError):
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        if proc.poll() is None:
            _kill_group(proc.pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                proc.wait()
    with _LIVE_LOCK:
        _LIVE.clear()


def install_cleanup() -> None:
    """Children are stopped at exit, on Ctrl-C and on SIGTERM."""
    atexit.register(cleanup_processes)

    def _on_term(signum: int, _frame: Any) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, _on_term)


_SUBREAPER: bool | None = None
PR_SET_CHILD_SUBREAPER = 36


def become_subreaper() -> bool:
    """Orphans of our children (a forkserver outliving arsip) are re-parented to us, so that
    we can wait for them and count their CPU time, which wait4 on arsip alone would miss."""
    global _SUBREAPER
    if _SUBREAPER is None:
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            _SUBREAPER = libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
        except (OSError, AttributeError):
            _SUBREAPER = False
    return _SUBREAPER


def spawn(cmd: Sequence[str | os.PathLike[str]], *, env: dict[str, str] | None = None,
          stdout: Any = subprocess.DEVNULL, stderr: Any = subprocess.DEVNULL,
          cwd: Path | None = None) -> subprocess.Popen[bytes]:
    become_subreaper()
    proc = subprocess.Popen([str(c) for c in cmd], env=env, stdout=stdout, stderr=stderr,
                            cwd=cwd, start_new_session=True)
    with _LIVE_LOCK:
        _LIVE[proc.pid] = proc
    return proc


def _forget(proc: subprocess.Popen[bytes]) -> None:
    with _LIVE_LOCK:
        _LIVE.pop(proc.pid, None)


@dataclass
class ProcSample:
    pid: int
    ppid: int
    session: int
    command: str
    cpu: float  # its own user + system seconds so far
    children_cpu: float  # the same of its children it has waited for (cutime + cstime)
    rss_kb: int
    started: int  # start time in clock ticks since boot (tells reused pids apart)


def processes() -> Iterator[ProcSample]:
    """Every process on the machine, from /proc/PID/stat (a snapshot)."""
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        close = stat.rindex(b")")
        command = stat[stat.index(b"(") + 1:close].decode("utf-8", "replace")
        fields = stat[close + 2:].split()
        yield ProcSample(pid=int(entry.name), ppid=int(fields[1]), session=int(fields[3]),
                         command=command, cpu=(int(fields[11]) + int(fields[12])) / CLK_TCK,
                         children_cpu=(int(fields[13]) + int(fields[14])) / CLK_TCK,
                         rss_kb=int(fields[21]) * PAGE_SIZE_KB, started=int(fields[19]))


def rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * PAGE_SIZE_KB
    except (OSError, IndexError, ValueError):
        return 0


def hwm_kb(pid: int) -> int:
    """VmHWM: the peak resident set size of one live process, as the kernel counted it."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def pss_kb(pid: int) -> int:
    """Proportional set size: shared pages (a forkserver's children) counted once overall."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def busy_cpu_seconds() -> float:
    """CPU seconds the whole machine has spent busy (all cores), from /proc/stat."""
    with open("/proc/stat", encoding="ascii") as fh:
        fields = [int(v) for v in fh.readline().split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return (sum(fields[:8]) - idle) / CLK_TCK


@dataclass
class Measured:
    """One measured command (or a long-running process after it was stopped)."""

    cmd: list[str]
    wall: float = 0.0
    user: float = 0.0
    sys: float = 0.0
    returncode: int | None = None
    timed_out: bool = False
    maxrss_kb: int = 0  # wait4: the largest single process in the tree (arsip or a child)
    own_hwm_kb: int = 0  # VmHWM of the command's own process (sampled until it exited)
    tree_rss_peak_kb: int = 0  # sampled sum of RSS over the command's whole session
    tree_pss_peak_kb: int = 0  # the same as PSS (shared pages counted once)
    orphan_cpu: float = 0.0  # wait4 of its processes that outlived it (re-parented to us)
    orphans: int = 0
    sampled_cpu: float = 0.0  # CPU seconds of the session from /proc samples (a cross-check)
    processes_seen: int = 0
    peak_rss_by_command_kb: dict[str, int] = field(default_factory=dict)
    cpu_by_command: dict[str, float] = field(default_factory=dict)
    concurrency: dict[str, float] = field(default_factory=dict)  # mean processes alive, by name
    span_by_command: dict[str, list[float]] = field(default_factory=dict)  # first/last seen (s)
    other_load: float = 0.0  # CPU cores busy with work that was not this command's
    stdout: str = ""
    stderr: str = ""

    @property
    def cpu(self) -> float:
        """Every process of the run: wait4 of the command (with the children it waited for)
        plus wait4 of the processes that outlived it; the /proc estimate without a subreaper."""
        if _SUBREAPER:
            return self.user + self.sys + self.orphan_cpu
        return max(self.user + self.sys, self.sampled_cpu)

    def summary(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("stdout")
        data["stderr_tail"] = data.pop("stderr")[-2000:]
        data["cpu"] = round(self.cpu, 3)
        return data


@dataclass
class _Seen:
    """What the sampler last saw of one process."""

    command: str
    parent: tuple[int, int] | None  # the parent's key, when the parent is in the session too
    cpu: float
    children_cpu: float
    last_sample: int


class Sampler:
    """Samples a running command's whole session (it and everything it started, even processes
    re-parented away from it, like a forkserver's children) in a thread: memory and CPU time.

    CPU time: each process's own time, plus the time of the children it waited for (which
    covers processes too short-lived to be sampled), minus the sampled time of every process
    its parent waited for (counted in the parent's children time already).
    """

    def __init__(self, pid: int, interval: float = 0.25) -> None:
        self.pid = pid  # a session leader: spawn() starts every command in a new session
        self.interval = interval
        self.tree_peak_kb = 0
        self.tree_pss_peak_kb = 0
        self.own_hwm_kb = 0
        self.peak_by_command: dict[str, int] = {}
        self.seen: dict[tuple[int, int], _Seen] = {}
        self.samples = 0
        self.alive_by_command: dict[str, int] = {}  # process-samples per command name
        self.t0 = time.perf_counter()
        self.span_by_command: dict[str, list[float]] = {}  # first and last seen, s after t0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="sampler")

    def start(self) -> Sampler:
        self._thread.start()
        return self

    def sample_hwm(self) -> None:
        self.own_hwm_kb = max(self.own_hwm_kb, hwm_kb(self.pid))

    def sample(self) -> None:
        self.sample_hwm()
        self.samples += 1
        total = pss = 0
        mine = [p for p in processes() if p.session == self.pid]
        keys = {p.pid: (p.pid, p.started) for p in mine}
        now = round(time.perf_counter() - self.t0, 2)
        for proc in mine:
            self.alive_by_command[proc.command] = self.alive_by_command.get(proc.command, 0) + 1
            self.span_by_command.setdefault(proc.command, [now, now])[1] = now
            total += proc.rss_kb
            pss += pss_kb(proc.pid)
            self.peak_by_command[proc.command] = max(self.peak_by_command.get(proc.command, 0),
                                                     proc.rss_kb)
            key = (proc.pid, proc.started)
            known = self.seen.get(key)
            parent = known.parent if known else keys.get(proc.ppid)
            self.seen[key] = _Seen(proc.command, parent, proc.cpu, proc.children_cpu,
                                   self.samples)
        self.tree_peak_kb = max(self.tree_peak_kb, total)
        self.tree_pss_peak_kb = max(self.tree_pss_peak_kb, pss)

    def _waited_for(self, seen: _Seen) -> bool:
        """Its parent was seen after it ended: its whole time is in the parent's children time."""
        parent = self.seen.get(seen.parent) if seen.parent else None
        return parent is not None and parent.last_sample > seen.last_sample

    def _covered(self, seen: _Seen) -> bool:
        """Counted in an ancestor's children time: it, or an ancestor it ended with (or
        before), was waited for. Processes that outlive their ancestors are not covered."""
        current: _Seen | None = seen
        hops = 0
        while current is not None and hops < 64:
            if current.last_sample < seen.last_sample:
                return False  # this ancestor ended first: `seen` was orphaned
            if self._waited_for(current):
                return True
            current = self.seen.get(current.parent) if current.parent else None
            hops += 1
        return False

    def cpu(self, root_usage: float | None = None) -> float:
        """All CPU seconds of the session; `root_usage`: wait4's figure for the command itself
        (its own time and that of the children it waited for)."""
        total = 0.0
        for key, seen in self.seen.items():
            if key[0] == self.pid:
                total += root_usage if root_usage is not None else seen.cpu + seen.children_cpu
            elif not self._covered(seen):
                total += seen.cpu + seen.children_cpu
        return total

    def concurrency(self) -> dict[str, float]:
        """How many processes of each name were running, on average over the samples."""
        return {k: round(v / max(1, self.samples), 2) for k, v in
                sorted(self.alive_by_command.items(), key=lambda kv: -kv[1])}

    def cpu_by_command(self) -> dict[str, float]:
        """Each command's own sampled CPU seconds (covered or not), for a rough breakdown."""
        totals: dict[str, float] = {}
        for seen in self.seen.values():
            totals[seen.command] = totals.get(seen.command, 0.0) + seen.cpu
        return {k: round(v, 2) for k, v in sorted(totals.items(), key=lambda kv: -kv[1])}

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


def reap_orphans(session: int, grace: float = 5.0) -> tuple[float, int]:
    """Wait for the processes of `session` re-parented to us (we are a subreaper) once its
    leader ended; after `grace` seconds kill the rest. Returns (their CPU seconds, count)."""
    me = os.getpid()
    deadline = time.perf_counter() + grace
    cpu, count, killed = 0.0, 0, False
    while True:
        orphans = [p.pid for p in processes() if p.session == session and p.ppid == me]
        for pid in orphans:
            try:
                done, _status, usage = os.wait4(pid, os.WNOHANG)
            except ChildProcessError:
                continue
            if done:
                cpu += usage.ru_utime + usage.ru_stime
                count += 1
        if not orphans:
            return cpu, count
        if time.perf_counter() > deadline and not killed:
            _kill_group(session, signal.SIGKILL)
            killed = True
        time.sleep(0.02)


def _reap(proc: subprocess.Popen[bytes], block: bool) -> tuple[int, Any] | None:
    """wait4 the process ourselves, for its rusage; mark the Popen as done."""
    try:
        pid, status, usage = os.wait4(proc.pid, 0 if block else os.WNOHANG)
    except ChildProcessError:
        return None
    if pid == 0:
        return None
    proc.returncode = os.waitstatus_to_exitcode(status)
    _forget(proc)
    return proc.returncode, usage


def finish(proc: subprocess.Popen[bytes], result: Measured, started: float, busy0: float,
           sampler: Sampler | None, *, timeout: float | None = None,
           stop_signal: int | None = None, stop_grace: float = 30.0) -> Measured:
    """Wait for (or stop) `proc` and fill `result` with its wall time, CPU and memory."""
    deadline = None if timeout is None else started + timeout
    if stop_signal is not None:
        if sampler is not None:
            sampler.sample()
        _kill_group(proc.pid, stop_signal)
        deadline = time.perf_counter() + stop_grace
    reaped = None
    while reaped is None:
        reaped = _reap(proc, block=False)
        if reaped is not None:
            break
        if deadline is not None and time.perf_counter() > deadline:
            result.timed_out = True
            _kill_group(proc.pid, signal.SIGKILL)
            reaped = _reap(proc, block=True)
            break
        if sampler is not None:
            sampler.sample_hwm()  # VmHWM as late as possible before the exit
        time.sleep(0.02)
    result.wall = time.perf_counter() - started
    if reaped is not None:
        result.returncode, usage = reaped
        result.user, result.sys = usage.ru_utime, usage.ru_stime
        result.maxrss_kb = usage.ru_maxrss
    if become_subreaper():
        result.orphan_cpu, result.orphans = reap_orphans(proc.pid)
    if sampler is not None:
        sampler.stop()
        result.own_hwm_kb = sampler.own_hwm_kb
        result.tree_rss_peak_kb = sampler.tree_peak_kb
        result.tree_pss_peak_kb = sampler.tree_pss_peak_kb
        result.sampled_cpu = sampler.cpu()
        result.processes_seen = len(sampler.seen)
        result.peak_rss_by_command_kb = dict(sampler.peak_by_command)
        result.cpu_by_command = sampler.cpu_by_command()
        result.concurrency = sampler.concurrency()
        result.span_by_command = dict(sampler.span_by_command)
    foreign = busy_cpu_seconds() - busy0 - result.cpu
    result.other_load = max(0.0, foreign / result.wall) if result.wall > 0 else 0.0
    # Anything the command left behind in its group (it should have waited for it).
    _kill_group(proc.pid, signal.SIGKILL)
    return result


def run_measured(cmd: Sequence[str | os.PathLike[str]], *, env: dict[str, str] | None = None,
                 timeout: float | None = None, sample_memory: bool = False,
                 cwd: Path | None = None) -> Measured:
    """Run a command to its end: wall time, CPU time, peak RSS, stdout and stderr."""
    result = Measured(cmd=[str(c) for c in cmd])
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        busy0 = busy_cpu_seconds()
        started = time.perf_counter()
        proc = spawn(cmd, env=env, stdout=out, stderr=err, cwd=cwd)
        sampler = Sampler(proc.pid).start() if sample_memory else None
        finish(proc, result, started, busy0, sampler, timeout=timeout)
        out.seek(0)
        err.seek(0)
        result.stdout = out.read().decode("utf-8", "replace")
        result.stderr = err.read().decode("utf-8", "replace")
    return result


def run_per_file(files: Sequence[Path], body: str, *, processes: int, workdir: Path,
                 env: dict[str, str] | None = None, per_call: int | None = None,
                 timeout: float | None = None, name: str = "per-file") -> Measured:
    """Run the shell `body` once per file (as "$f"), `processes` at a time, through xargs -P.

    The whole tree is measured: wall time, CPU time of every process, peak RSS.
    """
    script = workdir / f"{name}.sh"
    script.write_text("for f; do\n" + body + "\ndone\n")
    list_file = workdir / f"{name}.list"
    list_file.write_bytes("\0".join(str(f) for f in files).encode())
    if per_call is None:
        per_call = 1 if processes > 1 else max(1, len(files))
    return run_measured(["sh", "-c", f'exec xargs -0 -P {processes} -n {per_call} sh "{script}"'
                         f' < "{list_file}"'], env=env, timeout=timeout, sample_memory=True)


class LongRunning:
    """A long-running command (`arsip run`) whose CPU and memory are measured when stopped."""

    def __init__(self, cmd: Sequence[str | os.PathLike[str]], *, env: dict[str, str],
                 log_path: Path, sample_memory: bool = True) -> None:
        self.result = Measured(cmd=[str(c) for c in cmd])
        self.log_path = log_path
        self._log = open(log_path, "ab")  # noqa: SIM115 - closed in stop()
        self.busy0 = busy_cpu_seconds()
        self.started = time.perf_counter()
        self.proc = spawn(cmd, env=env, stdout=self._log, stderr=subprocess.STDOUT)
        self.sampler = Sampler(self.proc.pid, interval=0.5).start() if sample_memory else None

    @property
    def pid(self) -> int:
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self) -> Measured:
        if self.proc.returncode is None:
            finish(self.proc, self.result, self.started, self.busy0, self.sampler,
                   stop_signal=signal.SIGTERM)
        self._log.close()
        return self.result

    def log_tail(self, chars: int = 3000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""


# --------------------------------------------------------------------------------------------
# arsip
# --------------------------------------------------------------------------------------------


def arsip_env(home: Path, extra: Iterable[str] = ()) -> dict[str, str]:
    """The environment for arsip on `home`: no inherited ARSIP_* settings, plus KEY=VALUE."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ARSIP_")}
    env["ARSIP_HOME"] = str(home)
    for item in extra:
        key, sep, value = item.partition("=")
        if not sep:
            raise SystemExit(f"--arsip-env wants KEY=VALUE, got {item!r}")
        key = key.upper()
        env[key if key.startswith("ARSIP_") else f"ARSIP_{key}"] = value
    return env


def doc_id_of(path: Path) -> str:
    """arsip's document id: the first 16 hex digits of the content's sha256."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def arsip_search(arsip: Path, env: dict[str, str], query: str, *, limit: int = 10,
                 timeout: float = 60) -> tuple[list[dict[str, Any]], float, int]:
    """Run `arsip search QUERY --json`: (hits, seconds, exit code)."""
    started = time.perf_counter()
    proc = subprocess.run([str(arsip), "search", query, "--json", "--limit", str(limit)],
                          env=env, capture_output=True, text=True, timeout=timeout, check=False)
    elapsed = time.perf_counter() - started
    hits: list[dict[str, Any]] = []
    if proc.returncode == 0:
        with contextlib.suppress(ValueError):
            hits = json.loads(proc.stdout)
    return hits, elapsed, proc.returncode


FILED_LINE = re.compile(r"filed .* in (?P<total>[\d.]+)s(?P<rest>.*)$")
STAGE = re.compile(r"(\w+)=([\d.]+)s")
INDEXED_LINE = re.compile(r"indexed (\d+) document")


def stage_totals(log_text: str) -> dict[str, Any]:
    """Sum arsip's own per-document timings (log lines `filed … in Xs extract=…s …`)."""
    totals: dict[str, float] = {}
    docs = commits = indexed = 0
    for line in log_text.splitlines():
        match = FILED_LINE.search(line)
        if match:
            docs += 1
            totals["document"] = totals.get("document", 0.0) + float(match["total"])
            for name, value in STAGE.findall(match["rest"]):
                totals[name] = totals.get(name, 0.0) + float(value)
            continue
        match = INDEXED_LINE.search(line)
        if match:
            commits += 1
            indexed += int(match[1])
    return {"documents_logged": docs, "index_commits": commits, "indexed": indexed,
            "seconds": {k: round(v, 3) for k, v in totals.items()}}


# --------------------------------------------------------------------------------------------
# Documents
# --------------------------------------------------------------------------------------------

SYLLABLES = ["ka", "ri", "mo", "lu", "se", "ta", "no", "pi", "ve", "du", "ga", "zo", "be",
             "ru", "fa", "ki", "ne", "so", "wa", "ho", "ju", "me", "la", "ti", "xe", "yo"]


class WordMaker:
    """Unique, pronounceable, letters-only words that occur in no dictionary."""

    def __init__(self, rng: random.Random, prefix: str = "") -> None:
        self.rng = rng
        self.prefix = prefix
        self.used: set[str] = set()

    def __call__(self) -> str:
        while True:
            word = self.prefix + "".join(self.rng.choice(SYLLABLES) for _ in range(4)) + "x"
            if word not in self.used:
                self.used.add(word)
                return word


COMPANIES = ["PT Sinar Abadi", "PT Maju Bersama Sejahtera", "CV Karya Mandiri",
             "PT Nusantara Logistik", "PT Cahaya Timur Perkasa", "CV Berkah Jaya",
             "Acme Trading Ltd", "Global Office Supplies Pte Ltd", "PT Graha Niaga Utama",
             "PT Sumber Rejeki Makmur", "Harbour Freight Services", "PT Bintang Samudra"]
STREETS = ["Jl. Merdeka Barat No. 17, Jakarta Pusat", "Jl. Gatot Subroto Kav. 52, Jakarta",
           "Jl. Asia Afrika No. 8, Bandung", "Jl. Pemuda No. 118, Surabaya",
           "Jl. Diponegoro No. 45, Semarang", "Jl. Sudirman No. 9, Medan"]
MONTHS_ID = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
             "September", "Oktober", "November", "Desember"]
ITEMS = ["Kertas HVS A4 80 gram", "Tinta printer hitam", "Map plastik", "Jasa pengiriman",
         "Sewa gudang bulan berjalan", "Perawatan pendingin ruangan", "Office chair",
         "Laptop stand aluminium", "Consulting services", "Air mineral galon", "Stapler besar",
         "Lisensi perangkat lunak", "Biaya administrasi bank", "Freight charges"]
ID_SENTENCES = [
    "Bersama surat ini kami sampaikan tagihan atas pekerjaan yang telah selesai dilaksanakan.",
    "Mohon pembayaran dilakukan paling lambat tanggal jatuh tempo yang tercantum di atas.",
    "Pembayaran dapat ditransfer ke rekening perusahaan kami di Bank Mandiri cabang Jakarta.",
    "Apabila terdapat pertanyaan mengenai tagihan ini, silakan menghubungi bagian keuangan.",
    "Barang telah diterima dalam keadaan baik dan sesuai dengan pesanan pembelian.",
    "Kami mengucapkan terima kasih atas kerja sama yang baik selama ini.",
    "Dokumen ini merupakan bukti sah dan tidak memerlukan tanda tangan basah.",
    "Pajak pertambahan nilai telah dihitung sesuai dengan ketentuan yang berlaku.",
    "Sehubungan dengan rapat koordinasi bulan lalu, kami mengajukan penawaran harga berikut.",
    "Harga yang tercantum berlaku selama tiga puluh hari sejak tanggal surat ini.",
    "Pengiriman akan dilakukan dalam waktu tujuh hari kerja setelah pesanan dikonfirmasi.",
    "Laporan ini disusun berdasarkan data keuangan triwulan ketiga tahun berjalan.",
]
EN_SENTENCES = [
    "Please find enclosed our invoice for the services rendered during the period above.",
    "Payment is due within thirty days of the invoice date; late payments incur a fee.",
    "Kindly quote the invoice number on all correspondence and payment advice.",
    "The goods were delivered in good order and condition to your warehouse.",
    "We appreciate your continued business and look forward to working with you again.",
    "This statement reflects all transactions recorded up to the closing date.",
    "Should you have any questions regarding this document, contact our accounts team.",
    "All amounts are stated in Indonesian rupiah and include value added tax.",
    "The contract remains in force until both parties agree in writing to terminate it.",
    "Our records show an outstanding balance that has not yet been settled.",
]
KINDS = [("FAKTUR", "Faktur"), ("INVOICE", "Invoice"), ("SURAT PENAWARAN", "Penawaran Harga"),
         ("KWITANSI", "Kwitansi"), ("SURAT JALAN", "Surat Jalan"), ("LAPORAN", "Laporan"),
         ("PURCHASE ORDER", "Purchase Order"), ("REKENING KORAN", "Rekening Koran")]


def _rupiah(value: int) -> str:
    return "Rp " + f"{value:,}".replace(",", ".")


def document_pages(rng: random.Random, unique: str, pages: int,
                   lines_per_page: int = 34) -> list[list[str]]:
    """A realistic back-office document (Indonesian with some English): lines per page.

    `unique` appears once, in the first page's body, so a search can find exactly this one.
    """
    company = rng.choice(COMPANIES)
    heading, short = rng.choice(KINDS)
    day, month, year = rng.randint(1, 28), rng.randint(1, 12), rng.choice([2024, 2025, 2026])
    number = f"{short[:3].upper()}/{year}/{rng.randint(1, 9999):04d}"
    first = [company.upper(), rng.choice(STREETS), "",
             f"Jakarta, {day} {MONTHS_ID[month - 1]} {year}", f"{heading}",
             f"Nomor: {number}", f"Perihal: {short} {rng.choice(ITEMS).lower()}", "",
             "Kepada Yth.", "Bagian Keuangan", rng.choice(COMPANIES), "", "Dengan hormat,"]
    body_sentences = ID_SENTENCES + EN_SENTENCES
    result: list[list[str]] = []
    for page in range(pages):
        lines = list(first) if page == 0 else [f"{company} - {short} {number} - halaman "
                                               f"{page + 1}", ""]
        if page == 0:
            lines.append(f"Referensi dokumen {unique} untuk arsip kantor.")
        total = 0
        while len(lines) < lines_per_page - 4:
            if rng.random() < 0.45:
                item = rng.choice(ITEMS)
                qty, price = rng.randint(1, 40), rng.randint(5, 900) * 1000
                total += qty * price
                lines.append(f"{item:<36} {qty:>3} x {_rupiah(price):>14} = "
                             f"{_rupiah(qty * price):>16}")
            else:
                lines.append(rng.choice(body_sentences))
        lines += ["", f"Total: {_rupiah(total)}", "Hormat kami,", company]
        result.append(lines)
    return result


def text_pdf(path: Path, pages: list[list[str]]) -> None:
    """A born-digital PDF (real text layer) made with reportlab."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=True)
    pdf.setTitle(path.stem)
    for lines in pages:
        y = 800
        for number, line in enumerate(lines):
            pdf.setFont("Helvetica-Bold" if number == 0 else "Helvetica", 10)
            pdf.drawString(50, y, line)
            y -= 22
        pdf.showPage()
    pdf.save()


FONT_CANDIDATES = ["/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
                   "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"]
A4_INCHES = (8.27, 11.69)


def _font(size_px: int) -> Any:
    from PIL import ImageFont

    for candidate in FONT_CANDIDATES:
        if Path(candidate).is_file():
            return ImageFont.truetype(candidate, size_px)
    return ImageFont.load_default(size=size_px)


def dense_words(rng: random.Random) -> Iterator[str]:
    """An endless stream of words from the Indonesian and English sentences, with figures."""
    sentences = ID_SENTENCES + EN_SENTENCES
    while True:
        sentence = rng.choice(sentences)
        if rng.random() < 0.2:
            sentence += f" {rng.choice(ITEMS)} {_rupiah(rng.randint(5, 90000) * 1000)}."
        yield from sentence.split()


def render_scan(lines: list[str] | None, *, dpi: int = 300, point_size: float = 9.0,
                rng: random.Random | None = None, unique: str = "") -> Any:
    """A white A4 page rendered with Pillow at `dpi`, 8-bit gray, as a flatbed scan.

    With `lines=None` the page is filled edge to edge (0.6 inch margins) with small print.
    """
    from PIL import Image, ImageDraw

    width, height = round(A4_INCHES[0] * dpi), round(A4_INCHES[1] * dpi)
    page = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(page)
    size_px = round(point_size * dpi / 72)
    font = _font(size_px)
    margin = round(0.6 * dpi)
    step = round(size_px * 1.25)
    y = margin
    if lines is not None:
        for line in lines:
            draw.text((margin, y), line, fill=0, font=font)
            y += step
        return page
    words = dense_words(rng or random.Random(0))
    usable = width - 2 * margin
    pending = f"Referensi {unique}." if unique else next(words)
    while y + step < height - margin:
        line = pending
        while True:
            pending = next(words)
            candidate = f"{line} {pending}"
            if font.getlength(candidate) > usable:
                break
            line = candidate
        draw.text((margin, y), line, fill=0, font=font)
        y += step
    return page


def scans_pdf(path: Path, jpegs: list[Path]) -> None:
    """A scanned PDF: one JPEG per A4 page, embedded as is (no text layer), with reportlab."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=True)
    for jpeg in jpegs:
        pdf.drawImage(str(jpeg), 0, 0, width=A4[0], height=A4[1])
        pdf.showPage()
    pdf.save()


# --------------------------------------------------------------------------------------------
# Statistics, tables, reports
# --------------------------------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float:
    """Linear-interpolated percentile (q in 0..100); nan for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    pos = (len(ordered) - 1) * q / 100
    low = math.floor(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def median(values: Sequence[float]) -> float:
    return percentile(values, 50)


def describe(values: Sequence[float]) -> dict[str, float]:
    return {"n": len(values), "min": min(values, default=math.nan), "median": median(values),
            "p90": percentile(values, 90), "max": max(values, default=math.nan)}


def fmt(value: Any, digits: int = 3) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        if math.isnan(value):
            return "-"
        return f"{value:.{digits}f}"
    return str(value)


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]], digits: int = 3) -> str:
    cells = [[fmt(c, digits) for c in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h)
              for i, h in enumerate(headers)]

    def line(items: Sequence[str]) -> str:
        return "  ".join(item.ljust(w) if i == 0 else item.rjust(w)
                         for i, (item, w) in enumerate(zip(items, widths, strict=False)))

    out = [line(headers), line(["-" * w for w in widths])]
    out += [line(r) for r in cells]
    return "\n".join(out)


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def tool_version(cmd: list[str]) -> str:
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return "unavailable"
    text = (proc.stdout or proc.stderr).strip().splitlines()
    return text[0] if text else ""


def git_commit() -> str:
    """The commit measured, with `+dirty` when tracked project files differ from it."""
    try:
        head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, timeout=10, check=False)
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain",
                                "--untracked-files=no"],
                               capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return ""
    return head.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")


PACKAGES = ("arsip", "intake", "workers", "index", "config", "cli")


def source_fingerprint() -> str:
    """A hash of the project code as measured (the working tree may differ from the commit)."""
    digest = hashlib.sha256()
    files = [ROOT / "pyproject.toml"]
    for package in PACKAGES:
        files += sorted(p for p in (ROOT / package).rglob("*") if p.suffix in (".py", ".toml"))
    for path in files:
        with contextlib.suppress(OSError):
            digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def machine() -> dict[str, Any]:
    with open("/proc/loadavg", encoding="ascii") as fh:
        load = fh.read().split()[:3]
    return {"host": platform.node(), "cores": os.cpu_count(), "python": sys.version.split()[0],
            "loadavg": [float(v) for v in load], "commit": git_commit(),
            "source": source_fingerprint()}


def code_line(report: dict[str, Any]) -> str:
    """Which code was measured; a warning when it changed while the benchmark ran."""
    start = report.get("machine_start", {})
    line = (f"code measured: commit {start.get('commit')}, source fingerprint "
            f"{start.get('source')}; load average at start {start.get('loadavg')}")
    now = source_fingerprint()
    if start.get("source") and now != start.get("source"):
        line += (f"\nWARNING: the project's code changed while this ran (fingerprint now {now}); "
                 "the figures mix two versions")
    return line


def write_report(name: str, data: dict[str, Any], out_dir: Path = OUT_DIR) -> Path:
    """bench/out/NAME-YYYYmmdd-HHMMSS.json (and NAME-latest.json)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    data = {"benchmark": name, "finished": datetime.now(timezone.utc).isoformat(),
            "machine_end": machine(), **data}
    path = out_dir / f"{name}-{stamp}.json"
    text = json.dumps(data, indent=2, ensure_ascii=False, default=str)
    path.write_text(text + "\n")
    (out_dir / f"{name}-latest.json").write_text(text + "\n")
    return path


@contextlib.contextmanager
def work_dir(prefix: str, keep: bool = False, base: Path | None = None) -> Iterator[Path]:
    """A fresh temporary folder (removed afterwards unless `keep`)."""
    path = Path(tempfile.mkdtemp(prefix=prefix, dir=base))
    try:
        yield path
    finally:
        if keep:
            print(f"kept {path}", file=sys.stderr)
        else:
            shutil.rmtree(path, ignore_errors=True)


def add_common_args(parser: Any) -> None:
    parser.add_argument("--arsip", type=Path, default=DEFAULT_ARSIP,
                        help="the arsip command to measure (default: %(default)s)")
    parser.add_argument("--arsip-env", action="append", default=[], metavar="KEY=VALUE",
                        help="extra arsip setting for the measured runs, e.g. "
                        "settle_seconds=0.3 (repeatable)")
    parser.add_argument("--tmp", type=Path, default=None,
                        help="where to make the temporary folders (default: $TMPDIR or /tmp)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folders")
    parser.add_argument("--seed", type=int, default=1, help="random seed for the documents")
    parser.add_argument("--out", type=Path, default=OUT_DIR,
                        help="folder for the JSON report (default: %(default)s)")


def check_arsip(arsip: Path) -> None:
    if not arsip.exists():
        raise SystemExit(f"no arsip command at {arsip}; run ./scripts/setup.sh first")


def log(message: str) -> None:
    print(f"[{datetime.now().strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


@dataclass
class Target:
    """A figure compared to its target: `value <= limit` (or >= with at_least)."""

    name: str
    value: float
    limit: float
    at_least: bool = False
    unit: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        if math.isnan(self.value):
            return False
        return self.value >= self.limit if self.at_least else self.value <= self.limit

    def row(self) -> list[str]:
        sign = ">=" if self.at_least else "<="
        return [self.name, f"{fmt(self.value)}{self.unit}", f"{sign} {fmt(self.limit)}{self.unit}",
                verdict(self.ok)]

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "value": self.value, "limit": self.limit,
                "at_least": self.at_least, "pass": self.ok}


def print_targets(targets: Sequence[Target]) -> None:
    print()
    print(table(["target", "measured", "target", "result"], [t.row() for t in targets]))


def conclude(name: str, report: dict[str, Any], targets: Sequence[Target],
             out_dir: Path = OUT_DIR) -> int:
    """Print the targets, write the report with them, and return the script's exit code
    (0 when every target is met)."""
    print_targets(targets)
    report["targets"] = [t.as_dict() for t in targets]
    path = write_report(name, report, out_dir)
    print(f"\nreport: {path}")
    return 0 if all(t.ok for t in targets) else 1
