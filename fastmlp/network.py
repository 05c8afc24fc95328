"""The MLP: layer sizes, activations, parameters, initialisation and batched inference."""
from __future__ import annotations

import contextlib
import itertools
import numbers
import warnings
from typing import TYPE_CHECKING, Any, ClassVar, Sequence

import numpy as np

from ._validation import (_all_finite, as_array, brief, check_array, check_choice, check_seed,
                          is_int, not_an_int, plural, warn)

if TYPE_CHECKING:
    import numpy.typing as npt
    from scipy.sparse import csr_matrix
    from .optim import Optimizer

    from ._typing import ArrayLike, FilePath, FloatArray, IntSequence, MatrixLike, SeedLike

CACHE_LINE = 64


def aligned_zeros(shape, dtype):
    """np.zeros(shape, dtype) starting on a cache-line boundary; a 2-D array gets more
    columns than asked for where needed, so that every row starts on one too.

    The engine reads and writes a layer's weights a row at a time; rows that straddle one
    more cache line than they need cost about 15 % of the seed configuration's speed."""
    dtype = np.dtype(dtype)
    shape = (shape,) if isinstance(shape, numbers.Integral) else tuple(shape)
    per_line = CACHE_LINE // dtype.itemsize
    cols = shape[-1] if shape else 1
    padded = -(-cols // per_line) * per_line if len(shape) == 2 else cols
    rows = shape[0] if len(shape) == 2 else 1
    buf = np.zeros(rows * padded * dtype.itemsize + CACHE_LINE, dtype=np.uint8)
    off = -buf.ctypes.data % CACHE_LINE
    out = buf[off:off + rows * padded * dtype.itemsize].view(dtype)
    return out.reshape((rows, padded) if len(shape) == 2 else shape)


class ParamViews(list["FloatArray"]):
    """A net's weights or biases: one view per layer into its flat parameter buffer.

    Assigning an item copies into that view, checked (shape, finite values, cast to the
    net's dtype), so ``net.weights[k] = W`` changes the net itself as the engine and
    ``save()`` see it; the list has one array per layer and its length cannot change."""

    def __init__(self, name, views):
        super().__init__(views)
        self._name = name

    def __setitem__(self, k: int, value: ArrayLike) -> None:  # type: ignore[override]
        if isinstance(k, slice):
            raise TypeError(f"{self._name} takes one array per layer: assign "
                            f"{self._name}[k] = array")
        view = self[k]
        if value is not view:               # (else an in-place operator: weights[k] *= 2)
            view[...] = self._checked(k % len(self), value)

    def assign(self, values: Sequence[ArrayLike]) -> None:
        """Copy a list of arrays, one per layer, into the views: all checked first, so
        that a bad one leaves every view as it was."""
        if isinstance(values, np.ndarray) or not hasattr(values, "__len__"):
            raise TypeError(f"{self._name} takes a list of {len(self)} arrays, one per layer, "
                            f"got {type(values).__name__}")
        if len(values) != len(self):
            raise ValueError(f"{self._name} takes a list of {len(self)} arrays, one per "
                             f"layer, got {len(values)}")
        checked = [self._checked(k, v) for k, v in enumerate(values)]
        # an array that is (or overlaps) one of the net's own views, as in
        # ``net.biases = [net.biases[1], net.biases[0]]``, is copied before any view is
        # written: it would otherwise be read after an earlier view overwrote it
        checked = [a.copy() if any(np.may_share_memory(a, v) for v in self) else a
                   for a in checked]
        for view, a in zip(self, checked):
            view[...] = a

    def _checked(self, k, value):
        """value as a finite array of the shape and dtype of view k"""
        view = self[k]
        a = check_array(value, f"{self._name}[{k}]", view.dtype, ndim=view.ndim,
                        allow_sparse=False)
        if a.shape != view.shape:
            raise ValueError(f"{self._name}[{k}] must have shape {view.shape}, got {a.shape}")
        return a

    def _fixed(self, *args, **kwargs):
        """Refused (TypeError): the list holds one array per layer, its length fixed."""
        raise TypeError(f"{self._name} holds one array per layer; the list cannot grow or "
                        f"shrink (build a new MLP for another layout)")

    append = extend = insert = pop = remove = clear = sort = reverse = _fixed
    __delitem__ = __iadd__ = __imul__ = _fixed

    def __reduce__(self):                   # pickles (and copies) as a plain list
        return list, (list(self),)


#: Activation names and the codes the compiled engine knows them by.
ACTIVATIONS = {"identity": 0, "relu": 1, "sigmoid": 2, "tanh": 3, "leaky_relu": 4}
#: Output activations: the hidden ones plus softmax.
OUTPUTS = dict(ACTIVATIONS, softmax=5)
INITS = ("kaiming", "glorot_uniform", "normal")
DTYPES = {"float32": np.float32, "float64": np.float64}
#: Most input features: the engine keeps the column indices of the inputs' nonzeros (and
#: of sparse input) in 32-bit integers.
MAX_INPUTS = 2**31 - 1
LEAKY_SLOPE = 0.01
#: initialize() draws a layer's weights in blocks of rows of about this many values.
INIT_BLOCK = 1 << 20
#: The batched forward pass (forward, predict, evaluate's NumPy path) takes at most
#: FORWARD_ROWS rows at a time, and fewer where a layer is wide: about FORWARD_VALUES
#: values of its widest layer (8 MiB in float32).
FORWARD_ROWS = 8192
FORWARD_VALUES = 1 << 21


def activate(z, name):
    """f(z) for an activation name, in place on the array z; returns z."""
    if name == "relu":
        np.maximum(z, 0, out=z)
    elif name == "sigmoid":
        # 1 / (1 + exp(-z)) without overflow warnings; float32 in float64, rounded once,
        # as the compiled engines compute it: in float32 steps, f(z) of z in about
        # (2**-23, 1.232e-7] rounded to 0.5, the engines' to 0.50000006, and
        # predict_proba(X) > 0.5 disagreed with their train_acc on such a unit
        f = z.astype(np.float64) if z.dtype == np.float32 else z
        np.negative(f, out=f)
        with np.errstate(over="ignore"):
            np.exp(f, out=f)
        f += 1
        np.reciprocal(f, out=f)
        if f is not z:
            z[...] = f
    elif name == "tanh":
        np.tanh(z, out=z)
    elif name == "leaky_relu":
        np.multiply(z, np.where(z > 0, 1, LEAKY_SLOPE).astype(z.dtype), out=z)
    elif name == "softmax":
        z -= z.max(axis=-1, keepdims=True)
        np.exp(z, out=z)
        z /= z.sum(axis=-1, keepdims=True)
    return z


def derivative(a, name):
    """f'(z) written through a = f(z)."""
    if name == "relu":
        return (a > 0).astype(a.dtype)
    if name == "sigmoid":
        return a * (1 - a)
    if name == "tanh":
        return 1 - a * a
    if name == "leaky_relu":
        return np.where(a > 0, 1, LEAKY_SLOPE).astype(a.dtype)
    return np.ones_like(a)


def resolve_dtype(dtype):
    """np.float32 or np.float64 from a name or NumPy type; ValueError for another dtype
    (or another name: "float16", "foo"), TypeError for what names none (3, None)."""
    try:
        dt = np.dtype(dtype) if dtype is not None else None   # (np.dtype(None) is float64)
    except TypeError:
        dt = None
    if dt is None or dt.name not in DTYPES:
        # (a wrong value, as check_choice's unknown names are: float16 was a TypeError,
        # as if the argument's type were wrong, where other bad values are ValueErrors)
        error = ValueError if dt is not None or isinstance(dtype, str) else TypeError
        raise error(f"dtype must be 'float32' or 'float64', got {brief(dtype)}")
    return np.dtype(dt.name)    # native byte order: '>f4' is float32 too


class MLP:
    """A fully connected network trained one sample at a time.

    Parameters
    ----------
    sizes : sequence of int
        Layer widths from input to output, e.g. ``[784, 32, 32, 10]``; at least two,
        each from 1 to 2**31 - 1.
    activation : str or sequence of str, default "relu"
        Hidden-layer activation: one of ``relu, sigmoid, tanh, leaky_relu, identity``,
        one name for every hidden layer or a list with one name per hidden layer (a
        name other than "relu" for a net without hidden layers: a UserWarning).
        ``leaky_relu`` is ``z`` for ``z > 0`` and ``0.01 * z`` otherwise (slope
        ``LEAKY_SLOPE``, fixed).  At ``z = 0`` the gradient takes the slope below: 0
        for ``relu``, 0.01 for ``leaky_relu`` (as PyTorch's).
    output : str, default "softmax"
        Output activation: ``softmax`` (with cross-entropy), ``sigmoid`` (with
        cross-entropy or MSE), ``identity``, ``relu``, ``tanh`` or ``leaky_relu`` (MSE).
    init : {"kaiming", "glorot_uniform", "normal"}, default "kaiming"
        Weight initialisation: kaiming ``N(0, 2/n_in)``, glorot_uniform
        ``U(-l, l)`` with ``l = sqrt(6/(n_in+n_out))``, normal ``N(0, 1/n_in)``.
        Biases start at zero.
    dtype : {"float32", "float64"}, default "float32"
        Precision of parameters and computation (a NumPy dtype or type of these two
        works too); another dtype or name ("float16") is a ValueError.
    seed : int, numpy Generator or None
        Seed of the initialisation (a Generator is drawn from, and so advanced; None
        draws fresh entropy).

    Attributes
    ----------
    weights : list of ndarray
        ``weights[k]`` has shape ``(sizes[k+1], sizes[k])``.  They are views into one flat
        parameter buffer (``params``), stored transposed (Fortran-ordered views), which is
        what the per-sample engine reads fastest.  ``net.weights[k] = W`` (or
        ``net.weights = [...]``) copies into that buffer, checked for shape and finite
        values; the list's length is fixed.
    biases : list of ndarray
        ``biases[k]`` has shape ``(sizes[k+1],)``; assigned the same way.
    params : ndarray
        All parameters, flat: every layer's weights, then every layer's biases.
        ``net.params = p`` copies p in, checked (as ``set_params``).
    sizes, activation, output, init, dtype : read-only
        The layout is fixed when the net is built (lists come back as copies); build a new
        MLP for another one.

    One net is trained by one ``train()`` call at a time (a second one, from another
    thread, raises RuntimeError); ``predict`` from another thread during training sees
    the weights as they are at that moment.

    Examples
    --------
    >>> net = MLP([784, 32, 32, 10], activation="relu", output="softmax", seed=0)
    >>> net
    MLP(784 -> 32 relu -> 32 relu -> 10 softmax, init='kaiming', dtype=float32, params=26506)
    >>> net.forward(np.zeros((5, 784), np.float32)).shape
    (5, 10)
    """

    def __init__(self, sizes: IntSequence, activation: str | Sequence[str] = "relu",
                 output: str = "softmax", init: str = "kaiming",
                 dtype: npt.DTypeLike = "float32", seed: SeedLike = None) -> None:
        self._build(sizes, activation, output, init, dtype)
        if self.n_layers == 1 and isinstance(activation, str) and activation != "relu":
            # (a linear or logistic model: the hidden activation asked for was dropped
            # without a word)
            warn(f"activation={activation!r} applies to hidden layers, and "
                 f"MLP({self.sizes}) has none: ignored")
        self.initialize(seed)

    @classmethod
    def _zeros(cls, sizes, activation="relu", output="softmax", init="kaiming",
               dtype="float32"):
        """A net of this layout, checked as MLP() checks it, its parameters all zero (not
        drawn): `load` reads a file's parameters straight into it."""
        net = cls.__new__(cls)
        net._build(sizes, activation, output, init, dtype)
        return net

    def _build(self, sizes, activation, output, init, dtype):
        if isinstance(sizes, (str, bytes, set, frozenset, dict)) or not hasattr(sizes, "__len__"):
            raise TypeError(f"sizes must be a sequence of layer widths (a list), got "
                            f"{brief(sizes)}")
        if isinstance(sizes, np.ndarray) and sizes.ndim != 1:
            raise TypeError(f"sizes must be a 1-D sequence of layer widths, got an array of "
                            f"shape {sizes.shape}")
        sizes = list(sizes)
        if len(sizes) < 2:
            raise ValueError(f"sizes needs at least two layers (input and output), got "
                             f"{brief(sizes)}")
        for i, s in enumerate(sizes):
            if not is_int(s):
                # (check_int's rule: an int or a NumPy integer, not a float such as 8.0)
                raise TypeError(f"sizes must be integers, got {brief(sizes)}, whose "
                                f"sizes[{i}] is {not_an_int(s)}")
            if s < 1:
                # (named as the argument, as the other checks of sizes are)
                raise ValueError(f"sizes must all be >= 1 (units per layer), got {brief(sizes)}")
        if sizes[0] > MAX_INPUTS:
            # (an input's index past 2**31 - 1 would wrap to a negative one: the engine
            # would read and write outside the weights)
            raise ValueError(f"sizes[0] must be at most {MAX_INPUTS} (2**31 - 1) input "
                             f"features: the compiled engine indexes the inputs with 32-bit "
                             f"integers; got {sizes[0]}")
        for k, s in enumerate(sizes[1:], 1):
            if s > MAX_INPUTS:
                # (BLAS takes its counts as 32-bit integers: a wider layer's would wrap)
                raise ValueError(f"sizes[{k}] must be at most {MAX_INPUTS} (2**31 - 1) "
                                 f"units: BLAS counts with 32-bit integers; got {s}")
        self._sizes = [int(s) for s in sizes]
        n_hidden = len(sizes) - 2
        if isinstance(activation, str):
            activation = [check_choice("activation", activation, ACTIVATIONS)] * n_hidden
        else:
            unordered = isinstance(activation, (set, frozenset, dict))
            if unordered or not hasattr(activation, "__iter__"):
                raise TypeError(f"activation must be a name or a list of names, one per "
                                f"hidden layer, got {brief(activation)}")
            activation = list(activation)
            if len(activation) != n_hidden:
                raise ValueError(f"activation lists one name per hidden layer: {n_hidden} "
                                 f"expected, got {len(activation)}")
        self._activation = [check_choice("activation", a, ACTIVATIONS) for a in activation]
        self._output = check_choice("output", output, OUTPUTS)
        if self.output == "softmax" and self.sizes[-1] < 2:
            raise ValueError("a softmax output needs at least 2 units (one per class), got "
                             f"{self.sizes[-1]}; for two classes use output='sigmoid' with 1 "
                             "unit or softmax with 2")
        self._init = check_choice("init", init, INITS)
        self._dtype = resolve_dtype(dtype)
        self._allocate()

    # ------------------------------------------------------------------ layout
    def _allocate(self):
        sizes = self._sizes
        n_w = sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))
        n_b = sum(sizes[1:])
        n = n_w + n_b
        nbytes = n * self.dtype.itemsize
        ram = None
        if nbytes > 1 << 26:                # (small nets: no files read)
            from .train import _physical_memory   # (train imports this module)
            ram = _physical_memory()
        # (np.zeros gets such a buffer lazily from the system: initialize() touching it
        # would get the process killed where it exceeds the memory, instead of raising)
        if nbytes >= np.iinfo(np.intp).max or (ram and nbytes > ram):
            limit = (f"the {ram / 2**30:.4g} GiB of memory this process may use" if ram
                     else "one array can hold")
            raise MemoryError(
                f"MLP(sizes={sizes}) has {n} parameters: {nbytes / 2**30:.4g} GiB in "
                f"{self.dtype.name}, more than {limit}; build narrower layers")
        self._params = aligned_zeros(n, self.dtype)
        self._views()

    def _views(self):
        """weights/biases as views into the parameter buffer (W[k] = Wt[k].T, Wt row-major)."""
        sizes, p = self._sizes, self._params
        self._weights = ParamViews("weights", [
            p[o:o + ni * no].reshape(ni, no).T
            for o, ni, no in zip(self.w_offsets, sizes[:-1], sizes[1:])])
        self._biases = ParamViews("biases", [p[o:o + no]
                                             for o, no in zip(self.b_offsets, sizes[1:])])

    # The layout is fixed when the net is built: the compiled engine relies on sizes,
    # offsets, dtype and the parameter buffer agreeing, so these are read-only (lists come
    # back as copies) and parameters change only through copies into the buffer.
    @property
    def sizes(self) -> list[int]:
        """Layer widths, input first (a copy: build a new MLP for another layout)."""
        return list(self._sizes)

    @property
    def activation(self) -> list[str]:
        """Activation of every hidden layer (a copy)."""
        return list(self._activation)

    @property
    def output(self) -> str:
        """Output activation."""
        return self._output

    @property
    def init(self) -> str:
        """Initialisation scheme (used by initialize())."""
        return self._init

    @property
    def dtype(self) -> np.dtype[Any]:
        """Precision of the parameters and of the computation."""
        return self._dtype

    @property
    def n_weights(self) -> int:
        """Number of weights (the first n_weights entries of params)."""
        sizes = self._sizes
        return sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))

    # (offsets summed as Python integers: np.cumsum sums a list of integers in NumPy's
    # default int, 32-bit on Windows before NumPy 2, where the offsets past 2**31 - 1
    # weights wrapped to negative ones, the views and the engine's offsets with them)
    @property
    def w_offsets(self) -> list[int]:
        """Offset of each layer's weights in params."""
        sizes = self._sizes
        return list(itertools.accumulate([a * b for a, b in zip(sizes[:-2], sizes[1:-1])],
                                         initial=0))

    @property
    def b_offsets(self) -> list[int]:
        """Offset of each layer's biases in params."""
        return list(itertools.accumulate(self._sizes[1:-1], initial=self.n_weights))

    @property
    def params(self) -> FloatArray:
        """All parameters, flat: every layer's weights, then every layer's biases.
        Assigning copies into the net's buffer (as set_params), checked."""
        return self._params

    @params.setter
    def params(self, values: ArrayLike) -> None:
        self.set_params(values)

    @property
    def weights(self) -> ParamViews:
        """Per-layer weight views, ``weights[k]`` of shape (sizes[k+1], sizes[k]).
        Assigning the list or one item copies into the net, checked."""
        return self._weights

    @weights.setter
    def weights(self, values: Sequence[ArrayLike]) -> None:
        self._weights.assign(values)

    @property
    def biases(self) -> ParamViews:
        """Per-layer bias views, ``biases[k]`` of shape (sizes[k+1],)."""
        return self._biases

    @biases.setter
    def biases(self, values: Sequence[ArrayLike]) -> None:
        self._biases.assign(values)

    @property
    def n_layers(self) -> int:
        """Number of weight layers (len(sizes) - 1)."""
        return len(self.sizes) - 1

    @property
    def layer_activations(self) -> list[str]:
        """Activation of every weight layer, the output's last."""
        return self.activation + [self.output]

    @property
    def n_params(self) -> int:
        """Number of parameters."""
        return self._params.size

    def initialize(self, seed: SeedLike = None) -> MLP:
        """Draw fresh weights (zero biases) from the net's `init` scheme, seeded by `seed`
        (an int, a numpy Generator or None), and return the net."""
        rng = check_seed(seed)
        for W, b in zip(self.weights, self.biases):
            no, ni = W.shape
            # drawn a block of rows at a time (the same values, in the same order, as one
            # draw of the whole matrix): a float64 draw of a wide layer at once needs two
            # to four times its float32 weights' memory besides them
            rows = max(1, INIT_BLOCK // ni)
            for lo in range(0, no, rows):
                shape = (min(rows, no - lo), ni)
                if self.init == "kaiming":
                    W[lo:lo + rows] = rng.standard_normal(shape) * np.sqrt(2.0 / ni)
                elif self.init == "glorot_uniform":
                    lim = np.sqrt(6.0 / (ni + no))
                    W[lo:lo + rows] = rng.uniform(-lim, lim, size=shape)
                else:
                    W[lo:lo + rows] = rng.standard_normal(shape) * np.sqrt(1.0 / ni)
            b[...] = 0
        return self

    # --------------------------------------------------------------- inference
    def _check_X(self, X: MatrixLike, name: str = "X") -> npt.NDArray[Any] | csr_matrix:
        return check_array(X, name, self.dtype, n_features=self.sizes[0])

    def _check_rows(self, X: MatrixLike, name: str = "X") -> npt.NDArray[Any] | csr_matrix:
        """X checked as _check_X checks it, but a dense array of another dtype than the
        net's, or not C-ordered, only for its shape and dtype: _forward(A, name=name)
        converts and checks its values a chunk of rows at a time.  (Converted whole, a
        float64 X of 200 000 MNIST rows took a float32 copy of 600 MB besides it, where
        the forward pass itself needs O(chunk x widest layer).)"""
        if (isinstance(X, np.ndarray) and self._raw(X) and X.ndim == 2
                and X.dtype.kind in "biuf"):
            # (empty, wrong width: the same errors, from zeros of X's shape, its values
            # left to _forward: a first row beyond float32 named before an inf below it)
            self._check_X(np.zeros((min(1, X.shape[0]), X.shape[1]), X.dtype), name)
            return X
        return self._check_X(X, name)

    def _raw(self, A):
        """Whether A is a dense array that check_array would copy (_check_rows)."""
        return isinstance(A, np.ndarray) and not (A.dtype == self.dtype
                                                  and A.flags.c_contiguous)

    def _check_batch(self, X: MatrixLike, name: str = "X",
                     rows: bool = False) -> tuple[npt.NDArray[Any] | csr_matrix, bool]:
        """(A, single): X checked as a batch, a 1-D X (one sample of sizes[0] features)
        as a batch of one, with single telling which it was; with `rows`, checked as
        _check_rows checks it (for _forward(A, name=name))."""
        # (sparse matrices, None and strings go to check_array as they are: the last two
        # are refused by name, not as "dtype object")
        plain = hasattr(X, "tocsr") or X is None or isinstance(X, (str, bytes))
        Xa: Any = X if plain else as_array(X, name)
        single = getattr(Xa, "ndim", 2) == 1
        # (records of a structured array, strings: refused as no numbers by the check
        # below, where the count of their entries read as a one-sample feature count)
        if single and Xa.shape[0] != self.sizes[0] and Xa.dtype.kind in "biuf":
            hint = (f"; n samples of one feature: {name}.reshape(-1, 1)" if self.sizes[0] == 1
                    else "")
            k = Xa.shape[0]
            raise ValueError(f"{name} has {plural(k, 'feature')} (a 1-D {name} is "
                             f"one sample) but the net's input layer has {self.sizes[0]}{hint}")
        # (reshape: a 1-D sparse array cannot be indexed with None in every scipy)
        if single and not plain and Xa.dtype.kind in "biuf":
            # (one sample checked as the 1-D array it is: NaN named at X[3], not X[0, 3])
            Xa = check_array(X, name, self.dtype, ndim=1)       # (a Series by its .iloc)
        check = self._check_rows if rows else self._check_X
        try:
            return check(Xa.reshape(1, -1) if single else Xa, name), single
        except ValueError:
            self._named_in_frame(X, name)
            if single and plain and hasattr(X, "toarray"):
                # (a 1-D sparse array, one sample: its NaN named at X[3] as a dense
                # one's is, not at X[0, 3] of the row it was made into)
                check_array(X.toarray(), name, self.dtype, ndim=1)
            raise

    def _named_in_frame(self, X, name="X"):
        """Where X is a pandas DataFrame holding NaN or infinity (in the net's dtype): the
        ValueError naming it by X.iloc and column, which the array made of X has lost;
        nothing otherwise.  Called once a check of that array has raised: a frame that
        holds none is looked at no more than an array is (no pass of its own)."""
        if hasattr(X, "iloc") and getattr(X, "ndim", 0) == 2:
            check_array(X, name, self.dtype, n_features=self.sizes[0])

    @contextlib.contextmanager
    def _naming_frame(self, X, name="X"):
        """A ValueError raised within the block (a check of the array made of X) raised
        instead as _named_in_frame's, where X is a DataFrame that holds NaN or infinity."""
        try:
            yield
        except ValueError:
            self._named_in_frame(X, name)
            raise

    def forward(self, X: MatrixLike) -> FloatArray:
        """Output activations for a batch: the raw computation, its outputs unchecked.

        Parameters
        ----------
        X : array-like of shape (n_samples, sizes[0]) or (sizes[0],)
            Finite values (NaN or infinity in X is a ValueError); a 1-D X is one sample.

        Returns
        -------
        ndarray of shape (n_samples, sizes[-1]) (or (sizes[-1],) for one sample), in the
        net's dtype: probabilities for softmax/sigmoid outputs, values otherwise.

        Where the inputs or the parameters are so large that a layer's values overflow
        the net's dtype (float32 beyond ~3.4e38), or the parameters hold NaN or
        infinity, the outputs are returned as computed, inf or NaN, with one
        RuntimeWarning that says so (and no warnings from NumPy's arithmetic).
        ``predict()`` and ``predict_proba()`` refuse such outputs with a ValueError.

        X is converted to the net's dtype and computed 8192 rows at a time, fewer where
        a layer is wider than 256 units (about 2**21 of its values at a time): memory
        besides X and the outputs stays within a few times 8 MiB (float32) for any X
        and layer widths (a float64 or Fortran-ordered X is not copied whole).

        Examples
        --------
        >>> net = MLP([4, 3], seed=0)
        >>> net.forward(np.ones(4)).shape
        (3,)
        """
        out = self._outputs(X)
        if not _all_finite(out):
            warnings.warn(
                f"forward(): the net's outputs are NaN or infinite: its parameters "
                f"(net.params) hold NaN or infinite values, or the inputs or the "
                f"parameters are so large that its values overflow {self.dtype.name} "
                f"(predict() raises ValueError on such outputs)", RuntimeWarning,
                stacklevel=2)
        return out

    def _outputs(self, X):
        """forward(X) without its check of the outputs"""
        A, single = self._check_batch(X, rows=True)
        with self._naming_frame(X):
            out = self._forward(A, name="X")        # (its chunks' values checked)
        return out[0] if single else out

    def _forward(self, A, chunk=None, logits=False, name=None, rows_of=None):
        """Batched forward pass on validated input (dense or CSR) in the net's dtype:
        the outputs, or with `logits` the output layer's pre-activation z.  With `name`,
        A may also be a dense array as _check_rows passes it: each chunk of rows is then
        converted to the net's dtype and checked (finite values) as it is used, a bad
        value named at its row of A, or with `rows_of` (W, at), where A is W[at:...], at
        its row of W (and counted over all of W).  Memory
        besides A and the outputs: O(chunk x widest layer), chunk rows at a time (by
        default FORWARD_ROWS, fewer for wide layers: about FORWARD_VALUES values)."""
        if chunk is None:
            # (8192 rows of a 20 000-unit layer took 1.25 GB, twice 625 MB, to predict
            # 10 000 samples; GEMM is as fast on a few hundred rows)
            chunk = max(1, min(FORWARD_ROWS, FORWARD_VALUES // max(self.sizes)))
        n = A.shape[0]
        out = np.empty((n, self.sizes[-1]), dtype=self.dtype)
        raw = name is not None and self._raw(A)
        whole, at = (A, 0) if rows_of is None else rows_of
        acts = list(self.layer_activations)
        if logits:
            acts[-1] = "identity"
        # (no NumPy overflow warnings: each caller deals with non-finite outputs itself --
        # forward() warns once, predict() and the estimators raise ValueError)
        with np.errstate(over="ignore", invalid="ignore"):
            for lo in range(0, n, chunk):
                a = A[lo:lo + chunk]
                if raw:
                    a = check_array(a, name, self.dtype, n_features=self.sizes[0],
                                    part_of=(whole, at + lo))
                for W, b, f in zip(self.weights, self.biases, acts):
                    z = np.asarray(a @ W.T)         # (m, n_in) @ (n_in, n_out) + b, the
                    z += b                          # bias added in place: no second array
                    a = activate(z, f)
                out[lo:lo + chunk] = a
        return out

    def _checked_outputs(self, X):
        """forward(X), refusing NaN outputs (arg-max would turn them into class 0) and
        infinite ones (an identity, relu or leaky_relu output that overflowed), from
        non-finite parameters or from inputs or parameters too large"""
        out = self._outputs(X)
        if not _all_finite(out):
            raise ValueError(f"the net's outputs are NaN or infinite: its parameters "
                             f"(net.params) hold NaN or infinite values, or the inputs or "
                             f"the parameters are so large that the outputs overflow "
                             f"{self.dtype.name}; scale the inputs as in training")
        return out

    def predict_proba(self, X: MatrixLike) -> FloatArray:
        """Class probabilities, shape (n_samples, n_classes) ((n_classes,) for a 1-D X,
        one sample, as ``forward`` takes it).

        For a softmax output these are the outputs; for one sigmoid unit the columns are
        (1 - p, p); for several sigmoid units each column is that unit's probability.
        NaN or infinite outputs are a ValueError (see ``forward``).
        """
        if self.output not in ("softmax", "sigmoid"):
            raise ValueError(f"predict_proba needs a softmax or sigmoid output, this net has "
                             f"output={self.output!r}; use forward()")
        P = self._checked_outputs(X)
        if self.output == "sigmoid" and self.sizes[-1] == 1:
            P = np.concatenate([1 - P, P], axis=-1)
        return P

    def predict(self, X: MatrixLike) -> npt.NDArray[Any]:
        """Class labels (int64) for softmax/sigmoid nets, else the output values: an array
        of n_samples (of shape (n_samples, sizes[-1]) for several output values), or one
        label or value (a NumPy scalar; a row for several outputs) for a 1-D X.

        Softmax: the arg-max of the outputs; one sigmoid unit: 1 where its probability is
        above 0.5, else 0 (exactly 0.5 is 0); several sigmoid units: the arg-max unit, one
        label per sample (for multi-label targets take ``predict_proba(X) > 0.5``
        instead).  The outputs compared are the probabilities in the net's dtype, as
        ``predict_proba`` gives them; where several are equal (logits too close to tell
        apart in float32, or equal), the first, lowest, class is predicted, as np.argmax
        does and as ``evaluate``'s accuracy counts it.  NaN or infinite outputs are a
        ValueError (see ``forward``).
        """
        out = self._checked_outputs(X)
        if self.output == "softmax" or (self.output == "sigmoid" and self.sizes[-1] > 1):
            return np.argmax(out, axis=-1).astype(np.int64)
        if self.output == "sigmoid":
            return (out[..., 0] > 0.5).astype(np.int64)
        # (one sample's single output as a NumPy scalar, as a class label is; not a 0-d
        # array)
        return out[..., 0][()] if self.sizes[-1] == 1 else out

    # ------------------------------------------------------------------ misc
    def copy(self) -> MLP:
        """An independent copy of the net."""
        new = type(self).__new__(type(self))     # (a subclass's copy is of that subclass)
        new.__dict__.update({k: (list(v) if isinstance(v, list) else v)
                             for k, v in self.__dict__.items()})
        new._params = aligned_zeros(self._params.size, self.dtype)
        new._params[...] = self._params
        new._views()
        return new

    def set_params(self, params: ArrayLike) -> None:
        """Copy a flat parameter vector (as in `params`) into the net; it must be finite."""
        p = check_array(params, "params", self.dtype, ndim=1, allow_sparse=False)
        if p.shape != self._params.shape:
            raise ValueError(f"params must have shape {self._params.shape}, got {p.shape}")
        self._params[...] = p

    def save(self, path: FilePath, optimizer: Optimizer | None = None) -> str:
        """Write the net to an .npz file (no pickle) atomically; return the path written.
        Read it back with fastmlp.load.  Given the `optimizer` it trains with, the file
        holds its settings and state too (fastmlp.load_optimizer reads it): a checkpoint
        that training goes on from as without the pause (see fastmlp.save)."""
        from .io import save
        return save(self, path, optimizer)

    def __eq__(self, other: object) -> bool:
        """Equal to another MLP of the same sizes, activations and dtype whose parameters
        are equal value for value (as after ``save`` and ``load``); `init` is not
        compared.  Nets are mutable, so unhashable."""
        return (isinstance(other, MLP) and self.sizes == other.sizes
                and self.layer_activations == other.layer_activations
                and self.dtype == other.dtype and np.array_equal(self.params, other.params))

    __hash__: ClassVar[None] = None  # type: ignore[assignment]  # (mutable: unhashable)

    def __getstate__(self):
        # weights/biases are views into params: rebuild them instead of pickling copies
        state = self.__dict__.copy()
        del state["_weights"], state["_biases"]
        return state

    def __setstate__(self, state):
        state = dict(state)
        for key in ("sizes", "activation", "output", "init", "dtype", "params"):
            if key in state:                # pickled by a version with plain attributes
                state["_" + key] = state.pop(key)
        for key in ("weights", "biases", "w_offsets", "b_offsets", "n_weights"):
            state.pop(key, None)
        self.__dict__.update(state)
        params = aligned_zeros(self._params.size, self._params.dtype)
        params[...] = self._params
        self._params = params
        self._views()

    def __repr__(self) -> str:
        hidden = " -> ".join(f"{s} {a}" for s, a in zip(self.sizes[1:-1], self.activation))
        parts = [str(self.sizes[0])] + ([hidden] if hidden else []) + [
            f"{self.sizes[-1]} {self.output}"]
        return (f"MLP({' -> '.join(parts)}, init={self.init!r}, dtype={self.dtype.name}, "
                f"params={self.n_params})")
