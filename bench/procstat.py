"""CPU seconds used by process trees (a gunicorn master and its workers, a PostgreSQL postmaster and its
backends), read from /proc so that the benchmark can say where an alert's CPU goes."""

import os

_TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid):
    """(parent pid, CPU seconds) of one process, or None once it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as file:
            fields = file.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / _TICKS  # ppid, utime + stime


def tree_cpu(root_pids):
    """{pid: CPU seconds} for `root_pids` and all their descendants."""
    stats = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (stat := _stat(int(entry))) is not None:
            stats[int(entry)] = stat
    wanted, found = set(root_pids), {}
    while wanted:
        pid = wanted.pop()
        if pid in stats:
            found[pid] = stats[pid][1]
            wanted.update(child for child, (parent, _) in stats.items() if parent == pid and child not in found)
    return found


class CpuMeter:
    """CPU used by named process trees between start() and stop() (processes born meanwhile count whole)."""

    def __init__(self, roots):
        self.roots = roots  # {name: [root pids]}
        self._before = {}

    def start(self):
        self._before = {name: tree_cpu(pids) for name, pids in self.roots.items()}

    def stop(self):
        used = {}
        for name, pids in self.roots.items():
            before = self._before.get(name, {})
            used[name] = sum(cpu - before.get(child, 0.0) for child, cpu in tree_cpu(pids).items())
        return used


def tree_rss_mb(root_pids):
    """Resident memory of `root_pids` and their descendants, in MiB."""
    total = 0
    for pid in tree_cpu(root_pids):
        try:
            with open(f"/proc/{pid}/statm") as file:
                total += int(file.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except OSError:
            pass
    return total / 2**20
