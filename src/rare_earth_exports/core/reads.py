"""What a page read of the data package, recorded as it runs, so the build re-executes the page
only when that part of the data changed.

A page reads the data through `core.load`. Each table it uses counts as read whole, except the
figures of `observations.csv`: in the build, its `value` column is a `TrackedArray`, which knows
the row every figure came from and records the row's group (`product/partner`) whenever a figure
is used: computed with, compared, summed, iterated, converted or shown. Selecting rows (a filter,
`reindex`, `set_index`, a sort by another column, a merge, a copy, a concatenation) uses no figure
and records nothing, so a page that selects one destination's rows and computes with them has read
that destination's figures and no other. Every other column of the table (periods, partners,
units, statuses, sources, notes) counts as read whole: which rows exist and what they say is
always part of what a page read, so a row added, removed, moved or relabelled anywhere
re-executes every page that used the table.

The figures are private to the array: pandas reaches them only through its methods, and every
method but a selection records, so a page cannot use a figure without it being recorded. A
result computed from figures (a sum, a ratio, a rounded copy) carries no rows: its reads are
already recorded. An operation pandas cannot do on the array fails in the build, never silently;
it is then added here, recording its reads.

In a kernel the build starts, `REBOOK_READS` names a file: the log is rewritten there whenever it
grows, and the build stores it in the executed notebook (`build.inputs`). Elsewhere (tests,
nbval, a notebook opened by hand) nothing is recorded and the figures are plain float64, so
nbval, which executes every page again and compares every output, also checks that tracking
changes nothing a page shows.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pandas as pd
from pandas.api.extensions import ExtensionArray, ExtensionDtype, take
from pandas._libs import lib
from pandas.core import nanops
from pandas.core.algorithms import map_array
from pandas.core.arrays import NumpyExtensionArray
from pandas.core.arraylike import OpsMixin
from pandas.core.dtypes.astype import astype_array
from pandas.core.indexers import check_array_indexer

READS_ENV = "REBOOK_READS"
# Tables whose figures are recorded group by group: the columns that name a group, and the
# column of figures. Every other table, and every other column, is read whole.
GROUPED = {"observations": (("product", "partner"), "value")}


class ReadLog:
    """The tables a kernel read: None for a whole table, else the groups whose figures it used."""

    def __init__(self, path: str | None):
        self.path = Path(path) if path else None
        self.tables: dict[str, set[str] | None] = {}

    @property
    def recording(self) -> bool:
        """In a kernel of the build (which stores the record), not in a test or by hand."""
        return self.path is not None

    def table(self, name: str) -> None:
        """`name` was opened: whole, unless its figures are tracked group by group."""
        if name not in self.tables:
            self.tables[name] = set() if name in GROUPED else None
            self.flush()

    def whole(self, name: str) -> None:
        if name not in self.tables or self.tables[name] is not None:
            self.tables[name] = None
            self.flush()

    def groups(self, name: str, groups: set[str]) -> None:
        known = self.tables.setdefault(name, set())
        if known is not None and not groups <= known:
            known |= groups
            self.flush()

    def as_dict(self) -> dict[str, list[str] | None]:
        return {name: None if groups is None else sorted(groups) for name, groups in sorted(self.tables.items())}

    def flush(self) -> None:
        if self.path is None:
            return
        aside = self.path.with_name(self.path.name + ".tmp")
        aside.write_text(json.dumps(self.as_dict(), sort_keys=True), encoding="utf-8")
        os.replace(aside, self.path)


LOG = ReadLog(os.environ.get(READS_ENV))


class _Origins:
    """Which table and group every tracked row comes from, by a number unique in this process."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.tables: list[str] = []
        self.labels: list[np.ndarray] = []
        self.size = 0

    def register(self, table: str, labels: np.ndarray) -> np.ndarray:
        rows = np.arange(self.size, self.size + len(labels), dtype=np.intp)
        self.starts.append(self.size)
        self.tables.append(table)
        self.labels.append(labels)
        self.size += len(labels)
        return rows

    def record(self, rows: np.ndarray) -> None:
        rows = np.unique(rows[rows >= 0])
        if not len(rows):
            return
        which = np.searchsorted(self.starts, rows, side="right") - 1
        for i in np.unique(which):
            picked = rows[which == i] - self.starts[i]
            LOG.groups(self.tables[i], set(self.labels[i][picked].tolist()))


ORIGINS = _Origins()


class TrackedDtype(ExtensionDtype):
    """float64 figures whose reads are recorded; behaves as float64 in every computation."""

    name = "tracked_float64"
    type = np.float64
    kind = "f"
    na_value = np.nan
    _is_numeric = True
    # what numpy sees (`np.dtype(x)` reads a `dtype` attribute): code that asks numpy whether a
    # column holds floats, as Altair does before writing a chart's data, gets the same answer
    dtype = np.dtype("float64")

    @classmethod
    def construct_array_type(cls) -> type[TrackedArray]:
        return TrackedArray

    def _get_common_dtype(self, dtypes):
        if all(isinstance(d, TrackedDtype) for d in dtypes):
            return self
        return np.dtype("float64") if all(getattr(d, "kind", "O") in "iufb" for d in dtypes) else None


def _plain(value):
    """A tracked array as float64 values (recording the read), anything else as it is."""
    return value.to_numpy() if isinstance(value, TrackedArray) else value


class TrackedArray(OpsMixin, ExtensionArray):
    """float64 values with the row each came from (-1: computed, nothing to record)."""

    _dtype = TrackedDtype()
    __array_priority__ = 1000

    def __init__(self, values: np.ndarray, rows: np.ndarray | None = None):
        self._values = np.asarray(values, dtype=np.float64)
        self._rows = np.full(len(self._values), -1, dtype=np.intp) if rows is None else np.asarray(rows, dtype=np.intp)

    def _read(self) -> np.ndarray:
        ORIGINS.record(self._rows)
        return self._values

    # --- construction and selection: no value is used --------------------------------------

    @classmethod
    def _from_sequence(cls, scalars, *, dtype=None, copy=False):
        if isinstance(scalars, TrackedArray):
            return scalars.copy()
        return cls(np.asarray(scalars, dtype=np.float64))

    @classmethod
    def _from_factorized(cls, values, original):
        return cls(values)

    @classmethod
    def _concat_same_type(cls, to_concat):
        # numpy takes the dtype for float64 (see `TrackedDtype.dtype`), so pandas may pass plain
        # float64 arrays too: their values carry no rows
        parts = [a if isinstance(a, TrackedArray) else cls(np.asarray(a, dtype=np.float64)) for a in to_concat]
        return cls(np.concatenate([a._values for a in parts]), np.concatenate([a._rows for a in parts]))

    def __getitem__(self, item):
        if isinstance(item, (int, np.integer)):
            ORIGINS.record(self._rows[[item]])
            return self._values[item]
        item = check_array_indexer(self, item) if not isinstance(item, slice) else item
        return type(self)(self._values[item], self._rows[item])

    def take(self, indices, allow_fill=False, fill_value=None):
        fill = np.nan if fill_value is None else float(fill_value)  # a filled place holds no figure
        values = take(self._values, indices, allow_fill=allow_fill, fill_value=fill)
        rows = take(self._rows, indices, allow_fill=allow_fill, fill_value=-1)
        return type(self)(values, rows)

    def copy(self):
        return type(self)(self._values.copy(), self._rows.copy())

    def __len__(self) -> int:
        return len(self._values)

    @property
    def dtype(self) -> TrackedDtype:
        return self._dtype

    @property
    def nbytes(self) -> int:
        return self._values.nbytes + self._rows.nbytes

    # --- every use of a value records its rows -----------------------------------------------

    def __setitem__(self, key, value) -> None:
        key = check_array_indexer(self, key)
        self._values[key] = _plain(value)
        self._rows[key] = -1

    def __iter__(self):
        return iter(self._read().tolist())

    def __array__(self, dtype=None, copy=None):
        values = self._read()
        return np.array(values, dtype=dtype, copy=True) if copy else np.asarray(values, dtype=dtype)

    def to_numpy(self, dtype=None, copy=False, na_value=pd.api.extensions.no_default):
        values = np.array(self._read(), dtype=dtype)
        if na_value is not pd.api.extensions.no_default:
            values[np.isnan(self._values)] = na_value
        return values

    def isna(self) -> np.ndarray:
        return np.isnan(self._read())

    def astype(self, dtype, copy=True):
        if isinstance(dtype, TrackedDtype):
            return self.copy() if copy else self
        if isinstance(dtype, ExtensionDtype):
            return astype_array(self._read(), dtype, copy=copy)
        return self._read().astype(dtype, copy=copy)  # numpy's meaning, as for a float64 array

    def _values_for_factorize(self):
        return self._read(), np.nan

    def _values_for_argsort(self) -> np.ndarray:
        return self._read()

    def _values_for_json(self) -> np.ndarray:
        return self._read()

    def _formatter(self, boxed=False):
        return lambda v: repr(float(v))

    def _reduce(self, name, *, skipna=True, keepdims=False, **kwargs):
        result = getattr(nanops, f"nan{name}")(self._read(), skipna=skipna, **kwargs)
        return np.array([result]) if keepdims else result

    def _accumulate(self, name, *, skipna=True, **kwargs):
        return getattr(pd.Series(self._read()), name)(skipna=skipna, **kwargs).to_numpy()

    def _groupby_op(self, *, how, has_dropped_na, min_count, ngroups, ids, **kwargs):
        from pandas.core.groupby.ops import WrappedCythonOp

        op = WrappedCythonOp(how=how, has_dropped_na=has_dropped_na)
        return op.cython_operation(values=self._read(), axis=0, min_count=min_count, comp_ids=ids, ngroups=ngroups,
                                   **kwargs)

    def round(self, decimals: int = 0):
        return type(self)(np.round(self._read(), decimals))

    def _where(self, mask, value):
        return type(self)(np.where(mask, self._read(), _plain(value)))

    def _putmask(self, mask, value) -> None:
        self._read()
        self._values = np.where(mask, _plain(value), self._values)
        self._rows = np.where(mask, -1, self._rows)

    def fillna(self, value, limit=None, copy=True):
        values = self._read().copy()
        values[np.isnan(values)] = _plain(value) if np.ndim(value) == 0 else np.asarray(_plain(value))[np.isnan(values)]
        return type(self)(values)

    def _pad_or_backfill(self, *, method, limit=None, limit_area=None, copy=True):
        plain = NumpyExtensionArray(self._read().copy())
        return type(self)(plain._pad_or_backfill(method=method, limit=limit, limit_area=limit_area).to_numpy())

    def interpolate(self, **kwargs):
        plain = NumpyExtensionArray(self._read().copy())
        return type(self)(plain.interpolate(**{**kwargs, "copy": True}).to_numpy())

    def unique(self) -> np.ndarray:
        return pd.unique(self._read())  # an ndarray, as a float64 column gives

    def map(self, mapper, na_action=None):
        return map_array(self._read(), mapper, na_action=na_action)

    def _cast_pointwise_result(self, values):
        return lib.maybe_convert_objects(np.asarray(values, dtype=object), convert_non_numeric=True)

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        if any(isinstance(x, (pd.Series, pd.Index, pd.DataFrame)) for x in inputs):
            return NotImplemented
        return getattr(ufunc, method)(*(_plain(x) for x in inputs), **kwargs)

    def _arith_method(self, other, op):
        if isinstance(other, (pd.Series, pd.Index, pd.DataFrame)):
            return NotImplemented
        return op(self._read(), _plain(other))

    _cmp_method = _arith_method
    _logical_method = _arith_method

    def __neg__(self):
        return -self._read()

    def __pos__(self):
        return +self._read()

    def __abs__(self):
        return np.abs(self._read())

    def __invert__(self):
        return ~self._read()


def tracked(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """`frame` (one table of the package, as loaded) with its figures tracked by group."""
    keys, column = GROUPED[table]
    labels = frame[list(keys)].astype(str).agg("/".join, axis=1).to_numpy(dtype=object) if len(frame) \
        else np.array([], dtype=object)
    rows = ORIGINS.register(table, labels)
    out = frame.copy()
    out[column] = TrackedArray(frame[column].to_numpy(dtype=np.float64), rows)
    return out
