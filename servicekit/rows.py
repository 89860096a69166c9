"""The cursor every service uses: rows as plain dicts keyed by column name.

psycopg2's RealDictCursor fills each row key by key in Python, which is most of the CPU time of reading a
page of rows; here each row is `dict(zip(names, row))`, built in C, from the same tuples psycopg2 reads.
"""

import psycopg2.extensions


class DictCursor(psycopg2.extensions.cursor):
    def _names(self):
        return [column.name for column in self.description]

    def fetchone(self):
        row = super().fetchone()
        return None if row is None else dict(zip(self._names(), row, strict=True))

    def fetchmany(self, size=None):
        rows = super().fetchmany(self.arraysize if size is None else size)
        return self._dicts(rows)

    def fetchall(self):
        return self._dicts(super().fetchall())

    def _dicts(self, rows):
        if not rows:
            return []
        names = self._names()
        return [dict(zip(names, row, strict=True)) for row in rows]

    def __iter__(self):
        rows = super().__iter__()  # the cursor itself; next() reads with psycopg2's own fetch
        names = None
        while True:
            try:
                row = next(rows)
            except StopIteration:
                return
            names = names or self._names()
            yield dict(zip(names, row, strict=True))
