"""Plots of training runs and predictions (needs the optional ``plot`` extra).

matplotlib is not a dependency of fastmlp; install it with the extra::

    pip install "fastmlp[plot]"

This module imports only numpy when it is loaded and matplotlib the first time a plot
is drawn, so ``import fastmlp.plot`` always works and a missing matplotlib shows up as
an ``ImportError`` from the plotting call.

Every function builds its figure with matplotlib's object API
(:class:`matplotlib.figure.Figure`, never ``pyplot``), so it works headless, in threads
and in scripts without a display, and leaves pyplot's global state alone. Each returns
the :class:`~matplotlib.figure.Figure`; with ``path=...`` it also saves it there
(dpi 120, format from the file extension; a name without one gets ``.png``, as
matplotlib's ``savefig`` names it). The file is written under a temporary name beside
it and renamed into place, so a failed or interrupted save leaves no half-written file
(an earlier one stays); a path that is a folder, in a missing folder or with an
extension matplotlib cannot write is an error before anything is drawn. Functions
that draw a single panel take ``ax=`` to draw into an existing axes instead, and then
return (and save) the figure that axes belongs to: the top-level figure, also for an
axes inside a subfigure (whose title then goes on that subfigure).

The examples here and in each function's docstring go on from code of your own: a
``net`` with its data ``X, y, X_test, y_test`` (as in fastmlp's module docstring), or a
fitted scikit-learn estimator ``clf``; they are marked ``+SKIP``, as doctest cannot
supply those names.

>>> import fastmlp, fastmlp.plot
>>> hist = fastmlp.train(net, X, y, epochs=10,  # doctest: +SKIP
...                      validation=(X_test, y_test))
>>> fastmlp.plot.learning_curves(hist, path="curves.png")  # doctest: +SKIP
>>> fastmlp.plot.confusion_matrix(y_test, net.predict(X_test),  # doctest: +SKIP
...                               path="confusion.png")

In a notebook the returned figure displays itself; in a script, save it with ``path``.
"""
from __future__ import annotations

import errno
import math
import numbers
import os
import types
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Sequence

import numpy as np

from ._validation import (_is_sparse, brief, check_bool, check_int, check_path, check_unmasked,
                          is_int, not_an_int, not_finite, plural, r2_each, rms)

if TYPE_CHECKING:
    import numpy.typing as npt
    from matplotlib.axes import Axes
    from matplotlib.colors import Colormap
    from matplotlib.figure import Figure

    from ._typing import ArrayLike, HistoryLike, MatrixLike, StrPath

__all__ = ["learning_curves", "misclassified_confidence", "regression_curves",
           "predicted_vs_observed", "show_image", "show_images", "confusion_matrix"]

DPI = 120
RASTERIZE_ABOVE = 5000  # scatter points drawn as one bitmap in PDF/SVG beyond this many
PROBA_TOL = 1e-6    # rounding allowance for probabilities (float32 softmax can give 1 + ulp)
_INSTALL = 'pip install "fastmlp[plot]"'


# --------------------------------------------------------------------------- helpers
def _figure(figsize):
    """A new pyplot-free Figure with constrained layout."""
    try:
        from matplotlib.figure import Figure
    except ImportError as exc:  # pragma: no cover - exercised only without matplotlib
        raise ImportError(f"fastmlp.plot needs matplotlib: {_INSTALL}") from exc
    return Figure(figsize=figsize, layout="constrained")


def _require_matplotlib():
    try:
        import matplotlib  # noqa: F401
    except ImportError as exc:  # pragma: no cover
        raise ImportError(f"fastmlp.plot needs matplotlib: {_INSTALL}") from exc


def _check_path(path):
    """(file path, format) for `path`, checked before anything is drawn, or None.

    The format is the extension's; a name without one gets matplotlib's default format
    appended, as ``savefig`` does ("curves" -> "curves.png").  TypeError for a path of
    the wrong type, ValueError for an extension matplotlib cannot write,
    IsADirectoryError for a folder, FileNotFoundError for a missing folder."""
    if path is None:
        return None
    name = check_path("path", path)      # ("a file path", as save() and load() say)
    import matplotlib
    from matplotlib.backend_bases import FigureCanvasBase
    if not name:
        raise ValueError("path is empty")
    if os.path.isdir(name):
        raise IsADirectoryError(errno.EISDIR, "path is a folder: give a file path in it, "
                                "such as 'plots/curves.png'", name)
    fmt = os.path.splitext(name)[1][1:].lower()
    if not fmt:
        fmt = str(matplotlib.rcParams["savefig.format"]).lower()
        name = name.rstrip(".") + "." + fmt
    supported = FigureCanvasBase.get_supported_filetypes()
    if fmt not in supported:
        raise ValueError(f"path {name!r}: matplotlib cannot save {fmt!r} files; use one "
                         f"of the extensions {', '.join(sorted(supported))}")
    folder = os.path.dirname(os.path.abspath(name))
    if not os.path.isdir(folder):
        if os.path.exists(folder):
            raise NotADirectoryError(errno.ENOTDIR, "path's folder is a file", folder)
        raise FileNotFoundError(errno.ENOENT, "path's folder does not exist", folder)
    return name, fmt


def _finish(fig, target):
    """Save `fig` to `target` (from _check_path) and return it.  The file is written
    beside its destination under a temporary name, then renamed into place: a failure
    or an interrupt while saving leaves no half-written file and keeps an earlier one;
    a symbolic link's target is replaced, and a file replaced keeps its permissions."""
    if target is None:
        return fig
    import shutil
    import tempfile
    from .io import _replace_file
    name, fmt = target

    def write(tmp):
        # drawn under the file's own name in a private folder beside it, then moved onto
        # the temporary file: matplotlib records the name it writes to in the file
        # (PostScript's %%Title, the gzip header of .svgz), which was the random
        # temporary name
        folder = tempfile.mkdtemp(prefix=".fastmlp-", dir=os.path.dirname(tmp))
        try:
            inner = os.path.join(folder, os.path.basename(name))
            fig.savefig(inner, dpi=DPI, format=fmt)
            os.replace(inner, tmp)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    _replace_file(name, write)
    return fig


def _axes_figure(ax, name="ax"):
    """The top-level Figure that Axes `ax` belongs to (also through SubFigures, whose
    axes' ``.figure`` is the SubFigure, which cannot be saved); TypeError naming the
    argument for anything that is not an Axes."""
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    if not isinstance(ax, Axes):
        raise TypeError(f"{name} must be a matplotlib Axes, got {type(ax).__name__}")
    fig = ax.figure
    while not isinstance(fig, Figure) and getattr(fig, "figure", fig) is not fig:
        fig = fig.figure                # SubFigure -> its parent, up to the Figure
    return fig


def _panels(given, name, n_panels, size, wrong_count):
    """(figure, list of n_panels Axes): a new figure of n_panels side by side, each of
    `size` inches, or the Axes `given` (argument `name`), one per panel (ValueError
    wrong_count(len(given)) for another number), and the figure of the first."""
    if given is None:
        fig = _figure((size[0] * n_panels, size[1]))
        return fig, list(fig.subplots(1, n_panels, squeeze=False)[0])
    axes = list(np.atleast_1d(np.asarray(given, dtype=object)).ravel())
    figs = [_axes_figure(a, f"each of {name}") for a in axes]
    if len(axes) != n_panels:
        raise ValueError(wrong_count(len(axes)))
    return figs[0], axes


def _series(history, name, what="history"):
    """``history.<name>`` as a 1-D float array (missing or None -> empty); TypeError or
    ValueError naming ``<what>.<name>`` for anything but one number per epoch (a
    number, a string or nested lists failed in NumPy's words, or were flattened)."""
    values = getattr(history, name, None)
    if values is None:
        return np.empty(0)
    field = f"{what}.{name}"
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        raise TypeError(f"{field} must be a list of numbers, one per epoch, got "
                        f"{type(values).__name__}")
    try:
        arr = np.asarray(list(values), dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{field} must be a list of numbers, one per epoch ({exc})") \
            from None
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.ndim != 1:
        raise ValueError(f"{field} must be a list of numbers, one per epoch, got shape "
                         f"{arr.shape}")
    return arr


def _one_per_epoch(series, what="history"):
    """ValueError where the non-empty `series` ({field: values}) of one history differ
    in length: train() records every field once per epoch (a hand-made dict or History
    could be ragged, and its curves were drawn over different epochs without a word)."""
    lengths = {f: len(v) for f, v in series.items() if len(v)}
    if len(set(lengths.values())) > 1:
        raise ValueError(f"{what} must hold one value per epoch in each of its fields (or "
                         f"none), got lengths "
                         + ", ".join(f"{f}: {k}" for f, k in lengths.items()))


def _as_history(obj, name="history"):
    """A History, or anything with its fields as attributes or keys (``as_dict()``), or
    a fitted MLP estimator (fastmlp's or scikit-learn's): its ``loss_curve_`` as the
    training loss and, for a classifier, its ``validation_scores_`` (early stopping's
    held-out accuracy) as the validation accuracy; TypeError for anything else (it
    would plot as an empty run)."""
    if hasattr(obj, "train_loss") or hasattr(obj, "val_loss"):
        return obj
    if isinstance(obj, Mapping) and ("train_loss" in obj or "val_loss" in obj):
        return types.SimpleNamespace(**{str(k): v for k, v in obj.items()})
    if getattr(obj, "loss_curve_", None) is not None:
        scores = getattr(obj, "validation_scores_", None)
        best = None
        stopping = getattr(obj, "early_stopping", False)
        if stopping and scores is not None and len(scores):
            # (the weights early stopping keeps, in scikit-learn too: the first epoch
            # of the highest validation score, NaN scores never best)
            finite = np.asarray(scores, dtype=np.float64)
            if np.isfinite(finite).any():
                best = int(np.nanargmax(np.where(np.isfinite(finite), finite, np.nan)))
            # early stopping switched on in a later warm_start fit scored only the
            # epochs from there: they are the last ones (they were drawn, and the best
            # epoch marked, as the first)
            before = len(obj.loss_curve_) - len(scores)
            if before > 0:
                scores = [math.nan] * before + list(scores)
                best = None if best is None else best + before
        return types.SimpleNamespace(     # (a regressor's scores are R^2, not accuracy)
            train_loss=obj.loss_curve_,
            val_acc=scores if scores is not None and len(scores) and hasattr(obj, "classes_")
            else [], best_epoch=best)
    if hasattr(obj, "fit") and hasattr(obj, "get_params"):
        # an estimator without a loss curve: not fitted, or fitted by L-BFGS (which
        # records none)
        solver = getattr(obj, "solver", None)
        why = (f"its solver={solver!r} records none" if solver == "lbfgs" else
               "fit it first")
        raise TypeError(f"{name}: this {type(obj).__name__} has no loss_curve_ ({why}); "
                        f"pass a fitted estimator with loss_curve_ or a fastmlp.History")
    raise TypeError(f"{name} must be a fastmlp.History (or its as_dict()), or a fitted "
                    f"estimator with loss_curve_, got {type(obj).__name__}")


def _best_epoch(history, n_epochs):
    """history.best_epoch (0-based; early stopping's best epoch), checked against the
    epochs drawn; None where there is none."""
    best = getattr(history, "best_epoch", None)
    if best is None:
        return None
    best = check_int("history.best_epoch", best, what="an int (0-based) or None")
    if not 0 <= best < n_epochs:
        raise ValueError(f"history.best_epoch={best} is not one of its {n_epochs} epochs "
                         f"(0-based)")
    return best


def _epochs(values):
    return np.arange(1, len(values) + 1)


def _marker(n):
    """Markers make short runs (a single epoch included) visible."""
    return "o" if n <= 30 else None


def _positive(values):
    """Non-positive and non-finite values masked out for a log axis."""
    out = values.copy()
    out[~(np.isfinite(out) & (out > 0))] = np.nan
    return out


def _pixel_range(img):
    """imshow's (vmin, vmax) for the image `img`: (None, None), matplotlib's own range
    from the smallest to the largest value, unless every finite pixel has the same
    value.  That range has zero width, and matplotlib draws it in the colour map's
    lowest colour (black in gray) whatever the value; such an image keeps its pixel
    data's usual range instead: 0..255 for uint8 pixels (and integers from 2 to 255),
    0..1 for other values in [0, 1], and any other value shows in the middle of the
    colour map."""
    finite = img[np.isfinite(img)] if img.dtype.kind == "f" else img.ravel()
    if finite.size == 0 or finite.min() != finite.max():
        return None, None
    v = float(finite.flat[0])
    if img.dtype == np.uint8 or (img.dtype.kind in "iu" and 1 < v <= 255):
        return 0.0, 255.0
    if 0 <= v <= 1:
        return 0.0, 1.0
    half = max(1.0, abs(v))
    return v - half, v + half


def _integer_epoch_ticks(ax, n_epochs, shown=True):
    """Integer epoch ticks; `shown`: whether any point of the curves can be drawn.  A
    single point would get a fractional range around 1, and curves of no finite (on a
    log axis: positive) value none at all: matplotlib's empty -0.05..0.05."""
    from matplotlib.ticker import MaxNLocator
    # (min_n_ticks=1: with the default 2, the range 0.5..1.5 of a single epoch, which
    # holds one integer, fell back to fractional ticks, epochs "0.6", "0.8", ...)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, min_n_ticks=1))
    if n_epochs <= 1 or not shown:
        ax.set_xlim(0.5, max(n_epochs, 1) + 0.5)


def _nothing_to_show(ax, log):
    ax.text(0.5, 0.5, "no positive loss to show\non a log scale" if log else
            "no finite values to show", ha="center", va="center",
            transform=ax.transAxes, color="0.4")


def _as_labels(y, name, one_label=None):
    """`y` as a 1-D array of class labels (a column (n, 1) too); TypeError for a sparse
    matrix, ValueError for other shapes, where a matrix of 0s and 1s (n, k) is told
    that multi-label targets are not plotted (`one_label`: the call, for label j, that
    plots one), or that one-hot rows want `.argmax(axis=1)`."""
    if _is_sparse(y):       # (np.asarray made it a 0-d object array: "got shape ()")
        raise TypeError(f"{name} must be an array of class labels, got a sparse "
                        f"{type(y).__name__} (pass {name}.toarray().ravel())")
    check_unmasked(y, name, use="plot")
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim != 1:
        if (y.ndim == 2 and y.size and y.dtype.kind in "biuf"
                and np.isin(y, (0, 1)).all()):
            # (as scikit-learn's "multilabel-indicator is not supported": the shape
            # alone did not say why, nor what to pass)
            if (y.sum(axis=1) == 1).all():
                raise ValueError(f"{name} of shape {y.shape} is one-hot (a single 1 per "
                                 f"row): pass the class indices as 1-D labels, "
                                 f"{name}.argmax(axis=1)")
            raise ValueError(f"{name} of shape {y.shape} is a multi-label indicator "
                             f"matrix (0s and 1s, a column per label), which is not "
                             f"supported here (1-D class labels are): plot one label at "
                             f"a time"
                             + (f", {one_label}" if one_label else ""))
        raise ValueError(f"{name} must be 1-D class labels, got shape {y.shape}")
    return y


def _check_hw(shape, name):
    """`shape` as a pair (h, w) of positive ints; TypeError/ValueError naming it."""
    try:
        hw = tuple(shape)
    except TypeError:
        hw = None
    if hw is None or not all(is_int(v) for v in hw):
        whose = ""
        at = next((i for i, v in enumerate(hw) if not is_int(v)), None) if hw else None
        if hw is not None and at is not None:
            part = "hw"[at] if len(hw) == 2 else f"[{at}]"
            whose = f", whose {part} is {not_an_int(hw[at])}"
        raise TypeError(f"{name} must be a pair (h, w) of integers, got {brief(shape)}{whose}")
    hw = tuple(int(v) for v in hw)
    if len(hw) != 2 or min(hw) < 1:
        raise ValueError(f"{name} must be a pair (h, w) of positive integers, got {brief(hw)}")
    return hw


def _image_shape(size, shape, name="shape"):
    """(h, w) for a flat image of `size` pixels: `shape`, else square, else a strip."""
    if shape is not None:
        shape = _check_hw(shape, name)
        if shape[0] * shape[1] != size:
            raise ValueError(f"{name}={shape} does not hold {size} pixels")
        return shape
    side = math.isqrt(size)
    if side * side == size:
        return side, side
    return None


def _images_shape(shape, shape_name):
    """`shape` of show_images' or misclassified_confidence's flat rows checked: (h, w),
    (h, w, 1) taken as (h, w) (``X.shape[1:]`` of images (n, h, w, 1), as show_image
    takes it), (h, w, 3) for colour rows; None as it is."""
    if shape is None:
        return None
    shape = _gray_shape(shape)
    rgb = _rgb_shape(shape, shape_name)
    return rgb if rgb is not None else _check_hw(shape, shape_name)


def _as_images(images, shape, shape_name, name="images", one=None):
    """(images, (h, w) or (h, w, 3)): `images` of shape (n, h*w) or (n, h, w) (or (n,
    h, w, 1), gray as (n, h, w), or colour (n, h, w, 3) or rows of (h, w, 3) values) as
    an array, or as CSR rows where sparse (a sparse MNIST stays sparse: only the rows
    shown are made dense), and each image's shape: `shape`'s, else a square's;
    ValueError or TypeError naming `name` or `shape_name` (`one`: the message for a
    single 1-D image)."""
    check_unmasked(images, name, use="plot")
    if images is None or isinstance(images, (str, bytes)):
        raise TypeError(f"{name} must be an array of images, got {type(images).__name__}")
    imgs = images.tocsr() if _is_sparse(images) else np.asarray(images)
    if imgs.ndim == 1 and one is not None:
        raise ValueError(one)
    if imgs.ndim == 4 and imgs.shape[3] == 1:
        # (one channel, as show_image draws it: gray; they were refused)
        imgs = imgs[..., 0]
    if not (imgs.ndim in (2, 3) or (imgs.ndim == 4 and imgs.shape[3] == 3)):
        raise ValueError(f"{name} must have shape (n, h*w), (n, h, w), (n, h, w, 1) or "
                         f"(n, h, w, 3), got {images.shape}")
    if imgs.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold pixel values (numbers), got dtype {imgs.dtype}")
    # ("images have ...", but "X's images have ...": X is one array)
    whose = "images" if name == "images" else f"{name}'s images"
    if 0 in imgs.shape[1:]:
        raise ValueError(f"{whose} have no pixels (shape {imgs.shape})")
    want = _images_shape(shape, shape_name)
    if imgs.ndim == 2 and want is not None and len(want) == 3:
        if want[0] * want[1] * 3 != imgs.shape[1]:
            raise ValueError(f"{shape_name}={want} does not hold {imgs.shape[1]} values "
                             f"(a colour image's: h * w * 3)")
        hw = want
    elif imgs.ndim == 2:
        hw = _image_shape(imgs.shape[1], want, shape_name)
        if hw is None:
            raise ValueError(f"cannot show {imgs.shape[1]}-pixel rows as images: "
                             f"pass {shape_name}=(h, w)")
    else:
        hw = imgs.shape[1:]
        if want is not None and want != hw:
            raise ValueError(f"{whose} have shape {tuple(images.shape[1:])}, not "
                             f"{shape_name}={shape}")
    return imgs, hw


def _dense_images(imgs, rows, hw):
    """imgs[rows] as a dense (len(rows), h, w) array."""
    shown = imgs[rows]
    if _is_sparse(shown):
        shown = shown.toarray()
    return np.asarray(shown).reshape(len(rows), *hw)


def _image_mosaic(ax, images, cols, labels, cell_inches, fontsize, lines=2):
    """`images` (n, h, w) drawn into `ax` as one picture, a grid `cols` wide, each image
    in gray over its own range (as imshow would draw it alone, _pixel_range's for an
    image of one value), framed, under its label of up to `lines` lines (None or 0:
    no labels).  One imshow and one Axes for all: an Axes of its own per image took
    ~0.1 s each to build and draw (400 images: ~40 s).  `cell_inches` (width, height)
    is the room an image and its label have in the figure, from which the label's
    height in pixels is worked out."""
    from matplotlib.collections import PatchCollection
    from matplotlib.patches import Rectangle
    n, h, w = images.shape[:3]        # ((n, h, w, 3): colour)
    rows = math.ceil(n / cols)
    gap = max(1, round(0.1 * w))                    # (between images, in pixels)
    per_inch = (w + gap) / cell_inches[0]           # (pixels of the grid per inch)
    label = (lines or 0) * 1.2 * fontsize / 72 + 0.1   # (the lines and a margin, inches)
    top = max(math.ceil(per_inch * label), round(cell_inches[1] * per_inch - h))
    cell_w, cell_h = w + gap, h + top
    # gray levels as RGBA bytes, the room between the images (and NaN and infinite
    # pixels, as imshow leaves them) transparent: drawn as they are (a float picture
    # with NaN would be normed and masked first, twice the time)
    rgba = np.zeros((rows * cell_h, cols * cell_w, 4), dtype=np.uint8)
    frames = []
    for j, img in enumerate(images):
        r, c = divmod(j, cols)
        y0, x0 = r * cell_h + top, c * cell_w + gap // 2
        frames.append(Rectangle((x0 - 0.5, y0 - 0.5), w, h))
        if img.ndim == 3:       # (colour: as show_image draws it)
            rgba[y0:y0 + h, x0:x0 + w] = np.round(_rgba(img) * 255)
        else:
            _gray_tile(rgba[y0:y0 + h, x0:x0 + w], img)
        if labels is None:
            continue
        # (within the picture: the layout need not measure 400 labels)
        ax.text(x0 + (w - 1) / 2, y0 - 0.5 - 0.04 * top, labels[j], ha="center",
                va="bottom", fontsize=fontsize, in_layout=False)
    ax.imshow(rgba, interpolation="nearest")
    ax.add_collection(PatchCollection(frames, facecolor="none", edgecolor="black",
                                      linewidth=0.8))
    ax.set_axis_off()


def _gray_tile(tile, img):
    """The gray image `img` (h, w) drawn into `tile` (h, w, 4) of RGBA bytes over its
    own range, its pixels that are not finite transparent."""
    # (the range from the pixels' own dtype: an image of one uint8 value, all 255,
    # was white alone but mid-gray here, read as a float 255 in 0..510)
    vmin, vmax = _pixel_range(img)
    img = img.astype(np.float64)
    if vmin is None:
        finite = img[np.isfinite(img)]
        vmin, vmax = (float(finite.min()), float(finite.max())) if finite.size else (0, 1)
    # (blank where not finite, as show_image draws it: infinity was white here, and
    # minus infinity black, like the image's largest and smallest values)
    blank = ~np.isfinite(img)
    with np.errstate(invalid="ignore"):
        gray = np.clip((img - vmin) / (vmax - vmin), 0, 1)
    gray[blank] = 0
    tile[..., :3] = np.round(gray * 255)[..., None]
    tile[..., 3] = np.where(blank, 0, 255)


def _check_one_image(xshape, shape, rgb=None):
    """ValueError where show_image's 2-D `x` is rows of flat images, a data set such as
    X of shape (n, 784), rather than one image (drawn as one n x 784 picture): rows of
    `shape`'s pixels (or of the colour image `rgb`'s values, (h, w, 3): they were
    refused as "x has shape (30, 18), not shape=(2, 3, 3)"), or, without `shape`, rows
    of a square's pixels (784 = 28 x 28) at least 4 times as many or a quarter as many
    as their length (an image of n x 784 pixels is rarely that long or wide)."""
    if len(xshape) != 2 or xshape[0] < 2:
        return
    n, w = xshape
    if rgb is not None:
        if rgb[0] * rgb[1] * 3 == w:
            raise ValueError(f"x has shape {tuple(xshape)}: {n} rows of {w} values "
                             f"({rgb[0]}x{rgb[1]} colour images), a data set rather than "
                             f"one image; show_image draws one: pass a row, x[i], with "
                             f"shape={rgb} (several: show_images(x[:25], shape={rgb}))")
        return
    if shape is not None:
        hw = _check_hw(shape, "shape")
        if hw[0] * hw[1] != w or hw == tuple(xshape):
            return
    else:
        side = math.isqrt(w)
        if side < 2 or side * side != w or not (n > 4 * w or w > 4 * n):
            return
        hw = (side, side)
    # (without `shape`, a guess: a wide or tall picture, 16 x 100, is one image)
    alone = (f"; an image of {n} x {w} pixels itself: show_image(x, shape={tuple(xshape)})"
             if shape is None else "")
    shape_arg = f", shape={hw}" if shape is not None else ""
    raise ValueError(f"x has shape {tuple(xshape)}: {n} rows of {w} pixels ({hw[0]}x{hw[1]} "
                     f"images), a data set rather than one image; show_image draws one: "
                     f"pass a row, x[i] (several: show_images(x[:25]{shape_arg})){alone}")


def _not_one_image(xshape, shape):
    """The ValueError for show_image's `x` of shape `xshape` (2-D or 3-D, not rows of
    flat images) that does not fit `shape`, (h, w) or (h, w, 3): what one image of that
    shape is given as (it said "x has shape (6, 3), not shape=(2, 3, 3)")."""
    k = math.prod(shape)
    return ValueError(f"x has shape {tuple(xshape)}, not one image of shape={shape}: "
                      f"show_image draws one image, an array of shape {shape} or its "
                      f"{k} values flat, shape ({k},) or (1, {k})")


def _image_ticks_off(ax):
    ax.set_xticks([])
    ax.set_yticks([])


# --------------------------------------------------------------------------- 1
def learning_curves(history: HistoryLike, path: StrPath | None = None,
                    title: str | None = None, logy: bool = False,
                    val_label: str = "validation",
                    axes: Axes | Sequence[Axes] | npt.NDArray[Any] | None = None) -> Figure:
    """Loss and accuracy per epoch of a training run.

    Parameters
    ----------
    history : History or fitted estimator
        Anything with ``train_loss``, ``val_loss``, ``train_acc`` and ``val_acc`` lists
        (``fastmlp.History``), each of one value per epoch or empty (lists of other
        lengths are a ValueError naming them). Validation curves are drawn when ``val_loss``/``val_acc``
        are not empty; the accuracy panel only when there is an accuracy
        (classification).  A fitted ``FastMLPClassifier``/``FastMLPRegressor`` (or
        scikit-learn's ``MLPClassifier``/``MLPRegressor``) draws its ``loss_curve_``,
        and a classifier's ``validation_scores_`` (with ``early_stopping=True``) as
        validation accuracy.  Early stopping's best epoch (``History.best_epoch``; an
        estimator's epoch of its ``best_validation_score_``), whose weights it keeps,
        is marked in each panel by a dashed vertical line with a legend entry.
    path : str or path-like, optional
        Save the figure there (dpi 120).
    title : str, optional
        Figure title.
    logy : bool, default False
        Log scale for the loss axis (non-positive values are left out).
    val_label : str, default "validation"
        Legend name of the held-out curves, e.g. ``"test"``.
    axes : sequence of Axes, optional
        Draw into these (one per panel: 2 with accuracy, else 1) instead of a new
        figure.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> hist = fastmlp.train(net, X, y, epochs=20,  # doctest: +SKIP
    ...                      validation=(X_test, y_test))
    >>> fig = fastmlp.plot.learning_curves(hist, path="curves.png",  # doctest: +SKIP
    ...                                    title="784-32-10")
    >>> # a fitted estimator's loss_curve_:
    >>> fig = fastmlp.plot.learning_curves(clf)  # doctest: +SKIP
    """
    _require_matplotlib()
    target = _check_path(path)
    history = _as_history(history)
    logy = check_bool("logy", logy)
    train_loss, val_loss = _series(history, "train_loss"), _series(history, "val_loss")
    train_acc, val_acc = _series(history, "train_acc"), _series(history, "val_acc")
    _one_per_epoch({"train_loss": train_loss, "train_acc": train_acc,
                    "val_loss": val_loss, "val_acc": val_acc})
    has_acc = len(train_acc) > 0 or len(val_acc) > 0
    n_panels = 2 if has_acc else 1
    best = _best_epoch(history, max(len(train_loss), len(val_loss), len(train_acc),
                                    len(val_acc)))

    fig, panel_axes = _panels(
        axes, "axes", n_panels, (5.2, 4.0),
        lambda got: (f"this history needs {n_panels} axes "
                     f"({'loss and accuracy' if has_acc else 'loss'}), got {got}"))

    panels = [("loss", train_loss, val_loss)]
    if has_acc:
        panels.append(("accuracy", train_acc, val_acc))
    for ax, (name, train, val) in zip(panel_axes, panels):
        log = logy and name == "loss"
        prep = _positive if log else (lambda v: v)
        drawn = False
        if len(train):
            ax.plot(_epochs(train), prep(train), marker=_marker(len(train)), ms=4,
                    color="C0", label="train")
            drawn = True
        if len(val):
            ax.plot(_epochs(val), prep(val), marker=_marker(len(val)), ms=4,
                    color="C1", label=val_label)
            drawn = True
        if best is not None and drawn:
            # (the epoch whose weights early stopping keeps with restore_best)
            ax.axvline(best + 1, color="0.35", linestyle="--", linewidth=1, zorder=1,
                       label=f"best epoch ({best + 1})")
        if log:
            ax.set_yscale("log")
        ax.set_xlabel("epoch")
        ax.set_ylabel(name)
        ax.set_title(name)
        ax.grid(True, which="major", alpha=0.4)
        if log:
            ax.grid(True, which="minor", alpha=0.15)
        shown = bool(np.isfinite(prep(train)).any() or np.isfinite(prep(val)).any())
        _integer_epoch_ticks(ax, max(len(train), len(val)), shown)
        if drawn:
            ax.legend()
            if not shown:
                _nothing_to_show(ax, log)
        else:
            ax.text(0.5, 0.5, "no epochs recorded", ha="center", va="center",
                    transform=ax.transAxes, color="0.4")
    if title is not None:     # (on the axes' own (sub)figure, not above its neighbours)
        panel_axes[0].figure.suptitle(title)
    return _finish(fig, target)


# --------------------------------------------------------------------------- 2
def misclassified_confidence(proba: ArrayLike, y_true: ArrayLike, path: StrPath | None = None,
                             images: ArrayLike | None = None, n_show: int = 16,
                             image_shape: tuple[int, int] | tuple[int, int, int]
                             | None = None,
                             title: str | None = None) -> Figure:
    """How confident the model is when it is wrong.

    For each sample the confidence is the probability the model gave to its predicted
    class (the arg-max of `proba`). The left panel overlays the normalised histograms
    of that confidence over the misclassified and the correctly classified samples; a
    well-calibrated model is rarely confidently wrong. With `images`, the `n_show` most
    confidently wrong samples are shown on the right, each under the label
    ``"pred <p> (<confidence>)"`` over ``"true <label>"`` (two lines); beyond 8 x 8 of
    them, smaller, with smaller labels.

    Parameters
    ----------
    proba : array-like, shape (n, k)
        Class probabilities in [0, 1], e.g. ``net.predict_proba(X)`` (not raw scores).
        A 1-D array (or shape (n, 1)) is read as the probability of class 1 of a binary
        problem.
    y_true : array-like of int, shape (n,)
        True class indices in ``0 .. k-1``.  Multi-label targets (an indicator matrix
        (n, k) of 0s and 1s) are not supported: plot one label at a time,
        ``misclassified_confidence(proba[:, j], y_true[:, j])``.
    path : str or path-like, optional
        Save the figure there (dpi 120).
    images : array-like or SciPy sparse matrix, shape (n, h*w), (n, h, w), (n, h, w, 1) \
or (n, h, w, 3), optional
        The inputs, to show the most confidently wrong ones (one channel in gray, three
        in colour, as `show_image` draws them). Flat rows are reshaped with
        `image_shape`, else to a square (784 -> 28x28).
    n_show : int, default 16
        How many wrong images to show at most.
    image_shape : tuple of int, optional
        (h, w) of flat non-square images (or (h, w, 1), the same); (h, w, 3) of flat
        colour ones, as `fastmlp.datasets.image_shape` gives it.
    title : str, optional
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
        One histogram axes, plus, where images are shown, one axes holding them all:
        a single picture of the images in a grid, each framed under its label (a text
        of that axes), which draws fast also for hundreds of images.

    Raises
    ------
    ValueError
        If the shapes disagree, `proba` holds values outside [0, 1] (beyond a rounding
        allowance of 1e-6), NaN or infinity, or labels fall outside ``0 .. k-1``
        (``0 .. 1`` for a single column of probabilities).
    TypeError
        If `proba` or `y_true` is not numeric.

    Examples
    --------
    >>> P = net.predict_proba(X_test)  # doctest: +SKIP
    >>> fig = fastmlp.plot.misclassified_confidence(P, y_test,  # doctest: +SKIP
    ...                                             images=X_test, path="wrong.png")
    """
    _require_matplotlib()
    target = _check_path(path)
    check_unmasked(proba, "proba", use="plot")
    if _is_sparse(proba):   # (np.asarray made it a 0-d object array: "dtype object")
        raise TypeError(f"proba must be an array of probabilities, got a sparse "
                        f"{type(proba).__name__} (pass proba.toarray())")
    P = np.asarray(proba)
    if P.dtype.kind not in "biuf":
        raise TypeError(f"proba must hold probabilities (numbers), got dtype {P.dtype}")
    P = given = P.astype(np.float64, copy=False)
    if P.ndim == 2 and P.shape[1] == 1:
        P = P[:, 0]
    if P.ndim == 1:
        P = np.stack([1.0 - P, P], axis=1)
    if P.ndim != 2:
        raise ValueError(f"proba must have shape (n_samples, n_classes), got {P.shape}")
    n, k = P.shape
    if k == 0:
        raise ValueError(f"proba has no columns (shape {P.shape}): give one column of "
                         f"probabilities per class")
    if not np.isfinite(P).all():
        raise not_finite("proba", given, frame=proba)     # (where the caller's has it)
    if P.size and (P.min() < -PROBA_TOL or P.max() > 1 + PROBA_TOL):
        raise ValueError(f"proba must hold probabilities in [0, 1], got values from "
                         f"{float(P.min())!r} to {float(P.max())!r} (scores or logits? "
                         f"pass predict_proba's output)")
    y = _as_labels(y_true, "y_true", "misclassified_confidence(proba[:, j], y_true[:, j])")
    if len(y) != n:
        raise ValueError(f"proba has {plural(n, 'row')} but y_true has "
                         f"{plural(len(y), 'label')}")
    if n == 0:
        raise ValueError("no samples to plot")
    if y.dtype.kind not in "biuf":
        raise TypeError(f"y_true must hold integer class indices, got dtype {y.dtype}")
    if not np.issubdtype(y.dtype, np.integer):
        bad = np.flatnonzero(~np.isfinite(y) | (y != np.round(y)))
        if len(bad):
            raise ValueError(f"y_true must hold integer class indices, got non-integer "
                             f"values such as {_show(y[bad[0]])}")
        y = y.astype(np.int64)
    if y.min() < 0 or y.max() >= k:
        raise ValueError(f"y_true holds labels from {_show(y.min())} to {_show(y.max())}, "
                         f"outside 0..{k - 1} (proba has {k} columns)")
    n_show = check_int("n_show", n_show)
    if n_show < 0:
        raise ValueError(f"n_show must be >= 0, got {n_show}")
    if image_shape is not None:
        _images_shape(image_shape, "image_shape")   # (also when there are no images)

    imgs = hw = None
    if images is not None:
        imgs, hw = _as_images(images, image_shape, "image_shape")
        if imgs.shape[0] != n:
            raise ValueError(f"images has {imgs.shape[0]} rows but proba has {n}")

    pred = np.argmax(P, axis=1)
    conf = P[np.arange(n), pred]
    wrong = pred != y
    c_wrong, c_right = conf[wrong], conf[~wrong]

    order = np.flatnonzero(wrong)[np.argsort(-c_wrong, kind="stable")]
    shown = order[:n_show] if imgs is not None else order[:0]
    n_img = len(shown)
    if n_img:
        rows_shown = _dense_images(imgs, shown, hw)

    if n_img:
        cols = min(n_img, max(2, math.ceil(math.sqrt(n_img))))
        rows = math.ceil(n_img / cols)
        # (more than 8 x 8 images: smaller, with smaller labels, so that the figure, and
        # the time to draw and save it, grows less: 400 take 20 x 26 inches)
        cell = (1.45, 1.7, 8.0) if cols <= 8 else (1.0, 1.25, 6.5)
        grid_width = max(cell[0] * cols, 3.2)
        fig = _figure((5.0 + grid_width, max(4.2, cell[1] * rows + 1.0)))
        left, right = fig.subfigures(1, 2, width_ratios=[5.0, grid_width])
        ax = left.add_subplot()
        right.suptitle("most confident mistakes\npredicted (p) / true", fontsize=10)
    else:
        fig = _figure((6.0, 4.2))
        ax = fig.add_subplot()

    finite = conf[np.isfinite(conf)]
    lo = min(1.0 / k, float(finite.min())) if len(finite) else 0.0
    hi = max(1.0, float(finite.max())) if len(finite) else 1.0
    bins = np.linspace(lo, hi, 21)
    if len(c_right):
        ax.hist(c_right[np.isfinite(c_right)], bins=bins, density=True, color="C0",
                alpha=0.45, label=f"correct (n={len(c_right)})")
    if len(c_wrong):
        ax.hist(c_wrong[np.isfinite(c_wrong)], bins=bins, density=True, color="C3",
                histtype="step", lw=2, label=f"wrong (n={len(c_wrong)})")
    else:
        ax.text(0.5, 0.5, "no misclassified samples", ha="center", va="center",
                transform=ax.transAxes, color="0.4")
    ax.set_xlabel("probability of the predicted class")
    ax.set_ylabel("density")
    ax.set_title(f"confidence (error rate {wrong.mean():.2%})")
    ax.grid(True, alpha=0.4)
    if len(c_wrong) or len(c_right):
        ax.legend(loc="best")

    if n_img:
        _image_mosaic(right.add_subplot(), rows_shown, cols,
                      [f"pred {pred[i]} ({conf[i]:.2f})\ntrue {y[i]}" for i in shown],
                      cell_inches=(grid_width / cols, cell[1]), fontsize=cell[2])
    if title is not None:
        fig.suptitle(title)
    return _finish(fig, target)


# --------------------------------------------------------------------------- 3
def regression_curves(histories: (HistoryLike | Sequence[HistoryLike]
                                   | Mapping[str, HistoryLike]),
                      labels: Sequence[str] | npt.NDArray[Any] | None = None,
                      path: StrPath | None = None,
                      title: str | None = None, ax: Axes | None = None,
                      val_label: str = "validation") -> Figure:
    """Train and validation loss of one or several runs on one log-scale axes.

    Train loss is dashed, validation loss solid, one colour per run; a star marks each
    run's epoch of minimum validation loss (a minimum of 0, off the log scale, on the
    axes' bottom edge, its legend entry saying so). Overfitting shows as the solid curve
    turning up after the star while the dashed one keeps going down.

    Parameters
    ----------
    histories : History, sequence of History or mapping {label: History}
        Runs to compare, e.g. a linear model and a bigger net. Each may also be a
        History's ``as_dict()`` or a fitted estimator (fastmlp's or scikit-learn's
        MLP), whose ``loss_curve_`` is drawn as its train loss, as in
        `learning_curves`.
    labels : sequence or 1-D array of str, optional
        One name per history (default: the mapping's keys, else "model 1", ...).
    path : str or path-like, optional
        Save the figure there (dpi 120).
    title : str, optional
        Axes title (default: "train (dashed) and validation (solid) loss", naming
        only the kinds of curve drawn).
    ax : matplotlib.axes.Axes, optional
        Draw into this axes instead of a new figure.
    val_label : str, default "validation"
        Name of the held-out curves, e.g. ``"test"``.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        If `labels` does not have one entry per history, or there is no history.

    Examples
    --------
    >>> h_lin = fastmlp.train(linear, X, y, epochs=200, loss="mse",  # doctest: +SKIP
    ...                       validation=(Xv, yv))
    >>> h_net = fastmlp.train(net, X, y, epochs=200, loss="mse",  # doctest: +SKIP
    ...                       validation=(Xv, yv))
    >>> fig = fastmlp.plot.regression_curves(  # doctest: +SKIP
    ...     [h_lin, h_net], ["linear", "10-64-1"], path="overfit.png")
    """
    _require_matplotlib()
    target = _check_path(path)
    if isinstance(histories, (str, bytes)) or histories is None:
        raise TypeError(f"histories must be a History, a list of them or a mapping "
                        f"{{label: History}}, got {type(histories).__name__}")
    if hasattr(histories, "train_loss") or hasattr(histories, "loss_curve_") or (
            hasattr(histories, "fit") and not hasattr(histories, "__iter__")) or (
            isinstance(histories, Mapping) and (
            "train_loss" in histories or "val_loss" in histories)):
        histories = [histories]                 # one run (a History or an estimator)
    elif isinstance(histories, Mapping):
        if labels is None:
            labels = [str(key) for key in histories]
        histories = list(histories.values())
    elif hasattr(histories, "__iter__"):
        histories = list(histories)
    else:
        raise TypeError(f"histories must be a History, a list of them or a mapping "
                        f"{{label: History}}, got {type(histories).__name__}")
    histories = [_as_history(h, "each history") for h in histories]
    if not histories:
        raise ValueError("no histories to plot")
    if labels is None:
        labels = ["model"] if len(histories) == 1 else [
            f"model {i + 1}" for i in range(len(histories))]
    elif isinstance(labels, str):
        labels = [labels]
    labels = list(labels)
    if len(labels) != len(histories):
        raise ValueError(f"labels has {plural(len(labels), 'name')} for "
                         f"{plural(len(histories), 'history', 'histories')}: give one name "
                         f"per history")
    series = [(_series(h, "train_loss", f"history {label!r}"),
               _series(h, "val_loss", f"history {label!r}"))
              for h, label in zip(histories, labels)]
    for (train, val), label in zip(series, labels):
        _one_per_epoch({"train_loss": train, "val_loss": val}, f"history {label!r}")

    if ax is None:
        fig = _figure((7.0, 4.6))
        ax = fig.add_subplot()
    else:
        fig = _axes_figure(ax)
    drawn = False
    for i, ((train, val), label) in enumerate(zip(series, labels)):
        color = f"C{i % 10}"
        if len(train):
            ax.plot(_epochs(train), _positive(train), ls="--", color=color, alpha=0.8,
                    label=f"{label}: train")
            drawn = True
        if len(val):
            ax.plot(_epochs(val), _positive(val), ls="-", color=color,
                    label=f"{label}: {val_label}")
            drawn = True
            ok = np.isfinite(val)
            if ok.any():
                best = int(np.flatnonzero(ok)[np.argmin(val[ok])])
                star: dict[str, Any] = dict(marker="*", ms=13, color=color, mec="black",
                                            mew=0.6, ls="none")
                star_label = f"{label}: min {val_label} {val[best]:.4g} @ epoch {best + 1}"
                if val[best] > 0:
                    ax.plot([best + 1], [val[best]], label=star_label, **star)
                else:   # (0 is off a log axis, where the star was lost: on its bottom)
                    ax.plot([best + 1], [0], transform=ax.get_xaxis_transform(),
                            clip_on=False, zorder=3,
                            label=star_label + " (off the log scale: at the bottom)", **star)
    ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss")
    ax.grid(True, which="major", alpha=0.4)
    ax.grid(True, which="minor", alpha=0.15)
    shown = any(np.isfinite(_positive(v)).any() for pair in series for v in pair)
    _integer_epoch_ticks(ax, max(len(v) for pair in series for v in pair), shown)
    if title is None:       # (naming only the curves there are)
        has_train = any(len(train) for train, _ in series)
        has_val = any(len(val) for _, val in series)
        title = (f"{val_label} loss (solid)" if has_val and not has_train else
                 "train loss (dashed)" if has_train and not has_val else
                 f"train (dashed) and {val_label} (solid) loss")
    ax.set_title(title)
    if drawn:
        ax.legend(fontsize="small")
        if not shown:
            _nothing_to_show(ax, True)
    else:
        ax.text(0.5, 0.5, "no epochs recorded", ha="center", va="center",
                transform=ax.transAxes, color="0.4")
    return _finish(fig, target)


# --------------------------------------------------------------------------- 4
def _regression_scores(y_true, y_pred):
    """(R², RMSE) of targets of shape (n,) or (n, m).  R² is each output's own,
    averaged over the outputs, as scikit-learn's ``r2_score`` (and an estimator's
    ``score``) gives it: R² of the pooled values would count the differences between
    the outputs' means as explained variance (a constant prediction of each output's
    mean got R² near 1).  An output whose observed values do not vary counts 1 where
    predicted exactly, else 0, as in ``r2_score`` (and ``fastmlp evaluate``): leaving
    it out gave another number than the estimators' ``score``.  Whether they vary is
    decided by the values themselves, as ``fastmlp evaluate`` decides it (``r2_score``
    decides by the sum of squares about their mean, which rounding leaves a tiny
    positive number for a column of 0.1s: an R² of -1e14).  Where no output varies
    R² is undefined: NaN (``r2_score``'s force_finite makes it 1 or 0, a convention,
    not a score).  RMSE is over all the values.  Returns (R², RMSE, the number of
    constant outputs, the number of outputs)."""
    y_true = y_true.reshape(len(y_true), -1)
    resid = y_true - y_pred.reshape(y_true.shape)
    rmse = rms(resid)
    each, varies = r2_each(y_true, y_pred.reshape(y_true.shape))
    constant, k = int(np.count_nonzero(~varies)), len(varies)
    if not varies.any():
        return float("nan"), rmse, constant, k
    return float(np.mean(each)), rmse, constant, k


def _as_values(y, name):
    if y is None or isinstance(y, (str, bytes)) or _is_sparse(y):
        raise TypeError(f"{name} must be an array of numbers, got {type(y).__name__}")
    check_unmasked(y, name, use="plot")
    arr = np.asarray(y)
    y_given = y
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold numbers (regression targets), got dtype "
                        f"{arr.dtype}")
    with np.errstate(over="ignore"):     # (a long double beyond float64: named below)
        y = arr.astype(np.float64)
    if not np.isfinite(y).all():
        # (R² and RMSE would be NaN, and the points silently missing from the scatter;
        # source: a long double's 1e400 is named as it is, not as the inf it became)
        raise not_finite(name, y, source=arr, frame=y_given)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    return y


def predicted_vs_observed(y_true: ArrayLike, y_pred: ArrayLike | Mapping[str, ArrayLike],
                          path: StrPath | None = None, title: str | None = None,
                          ax: Axes | Sequence[Axes] | npt.NDArray[Any] | None = None
                          ) -> Figure:
    """Scatter of predicted against observed values with the y = x line.

    Each panel's legend gives R² (coefficient of determination) and RMSE. Multi-output
    targets (shape (n, m)) are pooled into one scatter; their R² is the mean of each
    output's own, as scikit-learn's ``r2_score`` and the estimators' ``score`` give it
    (an output whose observed values are all equal counts 1 where predicted exactly,
    else 0, which the legend says with the number of such outputs; where none varies,
    R² is undefined, as ``fastmlp evaluate`` says it), and
    RMSE is over all the values.  A scatter of more than 5000 points is saved as a bitmap
    (at the figure's dpi, 120) inside vector formats (PDF, SVG, EPS), which would
    otherwise hold one shape per point (60 000 points: a 9 MB SVG); the axes, text and
    line stay vector.

    Parameters
    ----------
    y_true : array-like, shape (n,) or (n, m)
        Observed values.
    y_pred : array-like or mapping {label: array-like}
        Predictions with the shape of `y_true`; a mapping draws one panel per entry,
        side by side, on shared limits.
    path : str or path-like, optional
        Save the figure there (dpi 120).
    title : str, optional
        Title of the single panel, or the figure title with several.
    ax : Axes or sequence of Axes, optional
        Draw into these (one per prediction) instead of a new figure.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        If a prediction's shape differs from `y_true`'s, a value is NaN or infinite, or
        there is nothing to plot.
    TypeError
        If `y_true` or a prediction does not hold numbers (class labels as strings).

    Examples
    --------
    >>> fig = fastmlp.plot.predicted_vs_observed(  # doctest: +SKIP
    ...     y_test, {"linear": lin.predict(X_test), "MLP": net.predict(X_test)},
    ...     path="pred_vs_obs.png")
    """
    _require_matplotlib()
    target = _check_path(path)
    yt = _as_values(y_true, "y_true")
    if isinstance(y_pred, Mapping):
        preds = {str(k): v for k, v in y_pred.items()}
        single = False
    else:
        preds = {"": y_pred}
        single = True
    if not preds:
        raise ValueError("no predictions to plot")
    if yt.size == 0:
        raise ValueError("y_true is empty")
    arrays = {}
    for label, yp in preds.items():
        name = f"y_pred[{label!r}]" if label else "y_pred"
        yp = _as_values(yp, name)
        if yp.shape != yt.shape:
            raise ValueError(f"{name} has shape {yp.shape} but y_true has {yt.shape}")
        arrays[label] = yp

    n_panels = len(arrays)
    fig, axes = _panels(ax, "ax", n_panels, (4.6, 4.6),
                        lambda got: f"got {got} axes for {n_panels} predictions")

    scores = {label: _regression_scores(yt, yp) for label, yp in arrays.items()}
    yt = yt.ravel()                     # (outputs pooled into one scatter)
    arrays = {label: yp.ravel() for label, yp in arrays.items()}
    both = np.concatenate([yt] + list(arrays.values()))
    lo, hi = (float(both.min()), float(both.max())) if len(both) else (0.0, 1.0)
    pad = 0.04 * (hi - lo) if hi > lo else 0.5
    lo, hi = lo - pad, hi + pad
    alpha = float(np.clip(300.0 / len(yt), 0.15, 0.8))
    for i, (a, (label, yp)) in enumerate(zip(axes, arrays.items())):
        r2, rmse, constant, k = scores[label]
        # (an output of constant observed values has no R² of its own: r2_score's
        # mean counts it 0, or 1 where predicted exactly, as evaluate's line says)
        said = (f"R² = {r2:.3f}" if not np.isfinite(r2) or not constant else
                f"R² = {r2:.3f} ({constant} of {k} outputs constant,\n"
                f"counted 0, or 1 where exact, as r2_score does)")
        a.plot([lo, hi], [lo, hi], color="0.3", lw=1, ls="--", label="y = x", zorder=1)
        a.scatter(yt, yp, s=12, alpha=alpha, color=f"C{i % 10}", edgecolors="none",
                  label=(said if np.isfinite(r2) else "R² undefined "
                         "(constant)") + f"\nRMSE = {rmse:.4g}", zorder=2,
                  rasterized=len(yt) > RASTERIZE_ABOVE)
        a.set_xlim(lo, hi)
        a.set_ylim(lo, hi)
        a.set_aspect("equal", adjustable="box")
        a.set_xlabel("observed")
        a.set_ylabel("predicted")
        a.grid(True, alpha=0.4)
        a.legend(loc="upper left")
        if single:
            a.set_title(title if title is not None else "predicted vs observed")
        else:
            a.set_title(label)
    if not single and title is not None:
        axes[0].figure.suptitle(title)      # (the axes' own subfigure, if in one)
    return _finish(fig, target)


# --------------------------------------------------------------------------- 5
def show_image(x: MatrixLike, path: StrPath | None = None, title: str | None = None,
               shape: tuple[int, int] | tuple[int, int, int] | None = None,
               ax: Axes | None = None, cmap: str | Colormap = "gray") -> Figure:
    """One input drawn as a gray image, or a colour one (RGB).

    Parameters
    ----------
    x : array-like, shape (h*w,), (1, h*w), (h, w), (h, w, 1), or (h, w, 3) for colour
        Pixel values.  (h, w) and (h, w, 1), one channel (an image of X of shape (n,
        h, w, 1)), are drawn in gray, (h, w, 3) in colour.  A flat vector (or one row
        of a data set, ``X[i:i+1]``, also a SciPy sparse row) is reshaped with
        `shape`, else to a square (784 -> 28x28,
        64 -> 8x8); other lengths are drawn as a 1-pixel-high strip.  A whole data set
        (n, h*w) of several rows is refused (ValueError), where it is recognised:
        rows of `shape`'s pixels, or of a square's pixels (784) at least 4 times as
        many rows as pixels or a quarter as many (a 64 x 64 image is an image; a 16 x
        100 one is taken for a data set unless given ``shape=x.shape``).
    path : str or path-like, optional
        Save the figure there (dpi 120).
    title : str, optional
        E.g. ``"predicted 7 (p=0.98)"``.
    shape : tuple of int, optional
        (h, w) for a flat `x` (or (h, w, 1), the same); (h, w, 3) for a flat colour
        image, its values in the order of ``X.reshape(len(X), -1)`` of images (n, h,
        w, 3) (red, green, blue of each pixel in turn).  `fastmlp.datasets.image_shape`
        gives it for a data set's flattened rows.
    ax : matplotlib.axes.Axes, optional
        Draw into this axes instead of a new figure.
    cmap : str, default "gray"
        Colour map (not used for a colour image).  It spans the image's smallest to
        largest value; an image of one value throughout is drawn in its pixel data's
        usual range (0..1, or 0..255 for uint8 pixels), so that all 1.0 is white in
        gray, and other values in the colour map's middle.  A colour image's three
        channels are scaled together in the same way (from its smallest to its largest
        value, all three channels stretched alike), so that 0..255 and 0..1 pixels of
        the same picture look the same; a dim picture is brightened to the full range.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        If `x` is of another shape than those above (an RGBA image, (h, w, 4): pass
        ``x[..., :3]``), does not fit `shape` or is a data set of several images.
    TypeError
        If `x` does not hold numbers, or `shape` is not a tuple of integers.

    Examples
    --------
    >>> p = net.predict_proba(X_test[:1])[0]  # doctest: +SKIP
    >>> fig = fastmlp.plot.show_image(  # doctest: +SKIP
    ...     X_test[0], title=f"predicted {p.argmax()} (p={p.max():.2f})", path="digit.png")
    """
    _require_matplotlib()
    target = _check_path(path)
    shape = _gray_shape(shape)  # (h, w, 1): (h, w), as x of that shape is drawn
    rgb = _rgb_shape(shape)     # (h, w, 3) for a flat colour image, else None
    if _is_sparse(x):       # (checked before .toarray(): all of a sparse MNIST is 376 MB)
        _check_one_image(x.shape, shape, rgb)  # type: ignore[union-attr]
    check_unmasked(x, "x", use="plot")
    img = np.asarray(x.toarray() if _is_sparse(x) else x)  # type: ignore[union-attr]
    if img.dtype.kind not in "biuf":
        raise TypeError(f"x must hold pixel values (numbers), got dtype {img.dtype}")
    given = img.shape           # (as x was given: in a message of a gray (h, w, 1))
    if img.ndim == 3 and img.shape[2] == 1:
        # (one channel, as images (n, h, w, 1) hold them and matplotlib's imshow takes
        # them: a gray image, refused as "x must be one image")
        img = img[:, :, 0]
    _check_one_image(img.shape, shape, rgb)
    if img.ndim == 2 and (img.shape[0] == 1 or (1 in img.shape and shape is not None)):
        img = img.ravel()       # one row of a data set, X[i:i+1]: a flat image
    if img.ndim == 1 and rgb is not None:
        if img.size != rgb[0] * rgb[1] * 3:
            raise ValueError(f"shape={rgb} does not hold {img.size} values")
        img = img.reshape(rgb)
    elif img.ndim == 1:
        hw = _image_shape(img.size, shape)
        img = img.reshape(hw if hw is not None else (1, img.size))
    elif img.ndim == 2:
        if shape is not None and (rgb is not None or _check_hw(shape, "shape") != img.shape):
            raise _not_one_image(given, rgb or _check_hw(shape, "shape"))
    elif img.ndim == 3 and img.shape[2] == 3:
        if shape is not None and (rgb or _check_hw(shape, "shape")) != img.shape:
            raise _not_one_image(img.shape, rgb or _check_hw(shape, "shape"))
    else:
        # (an RGBA image's transparency is not drawn: said how to draw its colours)
        rgba = ("; an RGBA image's alpha channel is not drawn: pass its colours, "
                "x[..., :3]" if img.ndim == 3 and img.shape[2] == 4 else "")
        raise ValueError(f"x must be one image, shape (h*w,), (h, w), (h, w, 1) or (h, w, "
                         f"3), got {img.shape}{rgba}")
    if img.size == 0:
        raise ValueError("x is empty")

    if ax is None:
        h, w = img.shape[:2]
        strip = w > 4 * h
        # Wide enough for the title (about 0.1 inch a character at the default size).
        width = max(6.0 if strip else 3.6, 0.1 * len(str(title or "")) + 0.5)
        height = (1.4 if strip else 3.6) + (0.3 if title else 0.0)
        fig = _figure((width, height))
        ax = fig.add_subplot()
    else:
        fig = _axes_figure(ax)
    if img.ndim == 3:           # colour: RGBA in [0, 1] (imshow takes no vmin/vmax)
        ax.imshow(_rgba(img), interpolation="nearest",
                  aspect="equal" if img.shape[0] > 1 else "auto")
    else:
        vmin, vmax = _pixel_range(img)     # (a uniform image was drawn black)
        ax.imshow(img, cmap=cmap, interpolation="nearest", vmin=vmin, vmax=vmax,
                  aspect="equal" if img.shape[0] > 1 else "auto")
    _image_ticks_off(ax)
    if title is not None:
        ax.set_title(title)
    return _finish(fig, target)


def _gray_shape(shape):
    """`shape` as (h, w) where it is three integers ending in 1, (h, w, 1), the shape of
    one of images (n, h, w, 1) (``X.shape[1:]``): a gray image; else as it is."""
    try:
        values = tuple(shape)
    except TypeError:
        return shape
    if (len(values) == 3 and isinstance(values[2], numbers.Integral)
            and not isinstance(values[2], bool) and values[2] == 1):
        return values[:2]
    return shape


def _rgb_shape(shape, name="shape"):
    """`shape` as (h, w, 3) where it names a colour image's shape, None where it is
    None or of another length (checked as a pair by _check_hw); ValueError/TypeError
    naming it (`name`) for three numbers that are not positive integers ending in 3."""
    if shape is None:
        return None
    try:
        values = tuple(shape)
    except TypeError:
        return None     # (_check_hw says what it must be)
    if len(values) != 3:
        return None
    if not all(is_int(v) for v in values):
        raise TypeError(f"{name} must be (h, w), (h, w, 1) or (h, w, 3), of integers, got "
                        f"{brief(shape)}")
    rgb = tuple(int(v) for v in values)
    if min(rgb) < 1 or rgb[2] != 3:
        raise ValueError(f"{name} must be (h, w), (h, w, 1) or (h, w, 3) (a colour image: "
                         f"red, green and blue), of positive integers, got {rgb}")
    return rgb


def _rgba(img):
    """The colour image `img` (h, w, 3) as RGBA floats in [0, 1] for imshow: its values
    scaled together from the smallest to the largest (a uniform image: _pixel_range's
    usual range), a pixel with a value that is not finite transparent, as a gray
    image's are."""
    values = img.astype(np.float64)
    finite = np.isfinite(values)
    lo, hi = _pixel_range(img)
    if lo is None and finite.any():
        lo, hi = float(values[finite].min()), float(values[finite].max())
    out = np.zeros(img.shape[:2] + (4,))
    if hi is not None and hi > lo:
        np.clip((np.where(finite, values, lo) - lo) / (hi - lo), 0, 1, out=out[..., :3])
    out[..., 3] = finite.all(axis=2)
    return out


def show_images(X: MatrixLike, labels: Sequence[Any] | npt.NDArray[Any] | None = None,
                path: StrPath | None = None, title: str | None = None,
                shape: tuple[int, int] | tuple[int, int, int] | None = None,
                cols: int | None = None,
                ax: Axes | None = None, max_images: int = 400) -> Figure:
    """Several inputs drawn as one grid of images, each under its label.

    Each image is scaled from its own smallest to its largest value, as `show_image`
    draws it (a colour image's three channels together), and framed; NaN and infinite
    pixels are left blank.  The grid is one picture in one axes, so it draws fast also
    for hundreds of images.

    Parameters
    ----------
    X : array-like or SciPy sparse matrix, shape (n, h*w), (n, h, w), (n, h, w, 1) or \
(n, h, w, 3)
        The images, one per row (the first rows of a data set, ``X[:25]``); one channel
        is drawn in gray, three in colour (red, green, blue).  Flat rows are reshaped
        with `shape`, else to a square (784 -> 28x28; other lengths need `shape`);
        sparse rows are made dense as they are drawn.
    labels : sequence or 1-D array of n str or numbers, optional
        A caption over each image, such as its class (``y[:25]``) or
        ``f"pred {p}\\ntrue {t}"``; a text of several lines gets room for them all.
    path : str or path-like, optional
        Save the figure there (dpi 120).
    title : str, optional
        Figure title.
    shape : tuple of int, optional
        (h, w) of flat non-square images (or (h, w, 1), the same); (h, w, 3) of flat
        colour ones, as `fastmlp.datasets.image_shape` gives it.
    cols : int, optional
        Images per row of the grid; by default about the square root of n, for a grid
        about as tall as it is wide.
    ax : matplotlib.axes.Axes, optional
        Draw into this axes instead of a new figure.
    max_images : int, default 400
        More images than this are refused (a ValueError): pass the rows to show.  (400
        MNIST digits make a figure 20 inches wide, drawn and saved in about a second.)

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        If `X` is not a set of images (one image: use `show_image`), holds none or more
        than `max_images`, does not fit `shape`, or `labels` is not one per image.
    TypeError
        If `X` does not hold numbers, or `labels`, `cols` or `max_images` are of the
        wrong type (`labels` a SciPy sparse matrix too: pass
        ``labels.toarray().ravel()``).

    Examples
    --------
    >>> fig = fastmlp.plot.show_images(X_test[:25], labels=y_test[:25],  # doctest: +SKIP
    ...                                path="digits.png")
    """
    _require_matplotlib()
    target = _check_path(path)
    for name, value in (("cols", cols), ("max_images", max_images)):
        if value is None and name == "cols":
            continue
        if check_int(name, value) < 1:
            raise ValueError(f"{name} must be >= 1, got {value}")
    imgs, hw = _as_images(X, shape, "shape", name="X", one=(
        "X is one image (1-D): draw it with show_image(X), or pass X[None] for a grid "
        "of one"))
    n = imgs.shape[0]
    if n == 0:
        raise ValueError("X holds no images")
    if n > max_images:
        raise ValueError(f"X holds {n} images, more than max_images={max_images}: pass "
                         f"the rows to show (X[:{min(max_images, 100)}]) or raise "
                         f"max_images")
    texts = None
    if labels is not None:
        if _is_sparse(labels):   # (its len() is its rows': "labels has 1 entry")
            raise TypeError(f"labels must be a sequence of captions, one per image, got a "
                            f"sparse {type(labels).__name__} (pass "
                            f"labels.toarray().ravel())")
        if isinstance(labels, (str, bytes, Mapping)) or not hasattr(labels, "__len__"):
            raise TypeError(f"labels must be a sequence of captions, one per image, got "
                            f"{type(labels).__name__}")
        check_unmasked(labels, "labels", use="plot")
        texts = [str(v) for v in (labels.ravel() if isinstance(labels, np.ndarray)
                                  and labels.ndim == 2 and 1 in labels.shape else labels)]
        if len(texts) != n:
            raise ValueError(f"labels has {plural(len(texts), 'entry', 'entries')} but X has "
                             f"{plural(n, 'image')}")
    images = _dense_images(imgs, np.arange(n), hw)
    cols = min(n, int(cols) if cols is not None else max(1, math.ceil(math.sqrt(n))))
    rows = math.ceil(n / cols)
    lines = max((t.count("\n") + 1 for t in texts), default=0) if texts else 0
    width, fontsize = (1.45, 8.0) if cols <= 8 else (1.0, 6.5)
    h, w = hw[:2]
    gap = max(1, round(0.1 * w))
    per_inch = (w + gap) / width                        # (the grid's pixels per inch)
    height = (h + gap) / per_inch + (lines * 1.2 * fontsize / 72 + 0.1 if lines else 0)
    if ax is None:
        fig = _figure((max(width * cols, 2.0) + 0.3,
                       height * rows + 0.3 + (0.4 if title is not None else 0)))
        ax = fig.add_subplot()
    else:
        fig = _axes_figure(ax)
        box = ax.get_position()
        fw, fh = fig.get_size_inches()
        scale = min(1.0, box.width * fw / (width * cols), box.height * fh / (height * rows))
        width, height, fontsize = width * scale, height * scale, max(4.0, fontsize * scale)
    _image_mosaic(ax, images, cols, texts, cell_inches=(width, height),
                  fontsize=fontsize, lines=lines)
    if title is not None:
        ax.set_title(title)
    return _finish(fig, target)


# --------------------------------------------------------------------------- 6
_LABELS_HELP = ("class labels (integers or strings), an (n, k) array of class "
                "probabilities or scores, or one column of probabilities of class 1")


def _class_labels(y, name, one_label=None):
    """1-D class labels `y` as ("str", array of str) or ("num", numeric array, floats
    finite).  TypeError for labels of mixed types (NumPy would turn [1, "a"] into
    strings) or of no label type; ValueError for NaN or infinity."""
    if isinstance(y, (str, bytes)) or y is None:
        raise TypeError(f"{name} must be an array of {_LABELS_HELP}, got "
                        f"{type(y).__name__}")
    arr = _as_labels(y, name, one_label)
    if arr.dtype == object or (arr.dtype.kind in "US" and not hasattr(y, "dtype")):
        items = _as_labels(np.asarray(y, dtype=object), name)
        is_str = [isinstance(v, str) for v in items]
        is_num = [isinstance(v, (numbers.Real, np.bool_)) and not s
                  for v, s in zip(items, is_str)]
        if all(is_str):
            arr = items.astype(str)
        elif all(is_num):
            arr = np.asarray(items.tolist())
        else:
            kinds = sorted({type(v).__name__ for v in items})
            raise TypeError(f"{name} mixes label types ({', '.join(kinds)}): give all "
                            f"classes as integers or all as strings")
    if arr.dtype.kind in "US":
        return "str", arr
    if arr.dtype.kind == "b":
        return "num", arr.astype(np.int64)
    if arr.dtype.kind in "iu":
        return "num", arr
    if arr.dtype.kind == "f":
        if not np.isfinite(arr).all():
            raise not_finite(name, arr, frame=y)
        return "num", arr
    raise TypeError(f"{name} must hold {_LABELS_HELP}, got dtype {arr.dtype}")


def _is_dark(rgba):
    """Which colours of an (..., 4) RGBA array are dark (perceived luminance below one
    half): text on them is white, else black.  By the colour drawn, not the value, so
    that it holds for any colour map (viridis and reversed maps are light at the top)."""
    return rgba[..., :3] @ np.array([0.299, 0.587, 0.114]) < 0.5


def _show(value):
    """repr of a NumPy scalar as the Python value (0.5, not np.float64(0.5))."""
    return repr(value.item() if isinstance(value, np.generic) else value)


def _non_integer(a):
    """The first value of float array `a` that is not a whole number, else None."""
    if a.dtype.kind != "f":
        return None
    bad = np.flatnonzero(a != np.round(a))
    return a[bad[0]] if len(bad) else None


def _confusion_counts(y_true, y_pred, labels):
    """Counts matrix (rows true, columns predicted) and the class names.

    `y_pred` is read as class labels, as an (n, k) array of scores (arg-max: class
    indices 0..k-1), or, when it is one column of floats in [0, 1] that are not all
    whole numbers, as the probability of class 1 of a binary problem (class 1 where it
    is above 0.5, the arg-max of [1 - p, p] as in misclassified_confidence)."""
    if labels is not None:
        if isinstance(labels, (str, bytes, set, frozenset, Mapping)) \
                or not hasattr(labels, "__len__"):
            raise TypeError(f"labels must be a sequence of class names (in order), got "
                            f"{type(labels).__name__} {brief(labels)}")
        labels = list(labels)
        # (a name twice drew two rows and columns under it, one of them empty, or, for
        # string classes, failed with "labels names some of the classes but not :")
        names = [str(s) for s in labels]
        twice = next((s for i, s in enumerate(names) if s in names[:i]), None)
        if twice is not None:
            raise ValueError(f"labels names {twice!r} more than once: give each class "
                             f"one name")
    kind_t, yt = _class_labels(y_true, "y_true",
                               "confusion_matrix(y_true[:, j], y_pred[:, j])")
    n_cols = None                                 # classes fixed by y_pred's columns
    check_unmasked(y_pred, "y_pred", use="plot")
    scores = np.asarray(y_pred) if not isinstance(y_pred, (str, bytes)) else None
    if scores is not None and scores.ndim == 2 and scores.shape[1] > 1:
        if scores.dtype.kind not in "biuf":
            raise TypeError(f"y_pred of shape {scores.shape} must hold class probabilities "
                            f"or scores (numbers), got dtype {scores.dtype}")
        if not np.isfinite(scores).all():
            raise not_finite("y_pred", scores, frame=y_pred)
        if np.isin(scores, (0, 1)).all():
            # 0s and 1s: one-hot rows are class indicators (their arg-max is the class);
            # a row with several 1s or none is a multi-label prediction, which the
            # arg-max silently scored as one label (the first 1, or class 0)
            ones = np.count_nonzero(scores, axis=1)
            bad = np.flatnonzero(ones != 1)
            if len(bad):
                i = int(bad[0])
                count = "no 1s" if ones[i] == 0 else f"{int(ones[i])} 1s"
                raise ValueError(
                    f"y_pred of shape {scores.shape} holds only 0s and 1s but is not "
                    f"one-hot: {plural(len(bad), 'row')} of {len(scores)} without "
                    f"exactly one 1 (row {i} has {count}), a multi-label indicator "
                    f"matrix, not class scores. y_pred must be "
                    f"class labels of shape (n,), or class probabilities, scores or "
                    f"one-hot rows of shape (n, k); plot multi-label predictions one "
                    f"label at a time, confusion_matrix(true_j, y_pred[:, j]) with "
                    f"true_j label j's true 0s and 1s")
        n_cols = scores.shape[1]
        kind_p, yp = "num", np.argmax(scores, axis=1)
        what = f"y_pred has {n_cols} columns of class scores"
    else:
        kind_p, yp = _class_labels(y_pred, "y_pred")
        value = _non_integer(yp)
        if value is not None:
            if yp.min() < 0 or yp.max() > 1:
                raise ValueError(f"y_pred must hold {_LABELS_HELP} in [0, 1]; got "
                                 f"non-integer values such as {_show(value)}")
            n_cols = 2
            yp = (yp > 0.5).astype(np.int64)
            what = "y_pred holds probabilities of class 1 (floats in [0, 1])"
    if len(yt) != len(yp):
        raise ValueError(f"y_true has {plural(len(yt), 'label')} but y_pred has {len(yp)}")
    if len(yt) == 0:
        raise ValueError("no samples to plot")
    value = _non_integer(yt)
    if value is not None:
        raise ValueError(f"y_true must hold class labels (integers or strings), got "
                         f"non-integer values such as {_show(value)}")
    if n_cols is not None and kind_t == "str" and labels is not None \
            and len(labels) == n_cols:
        # string classes named, in column order, by `labels` (a classifier's classes_):
        # y_true's labels become the indices of their columns
        column = {str(c): j for j, c in enumerate(labels)}
        unknown = [v for v in np.unique(yt) if v not in column]
        if unknown:
            raise ValueError(f"y_true holds {_show(unknown[0])}, which is not in labels "
                             f"(the classes of y_pred's {n_cols} columns, in order)")
        kind_t, yt = "num", np.array([column[v] for v in yt], dtype=np.int64)
    if n_cols is not None and kind_t == "num" and labels is not None \
            and len(labels) == n_cols and len(yt):
        # numeric classes that are not the column indices, such as -1/1 or 3/7, named in
        # column order by `labels` (a classifier's classes_): map them, as strings above.
        # Decided by `labels`, not by the values y_true happens to hold: with classes_
        # [1, 2, 3], a y_true of only 1s and 2s is classes 1 and 2 (it was read as the
        # indices of classes 2 and 3 unless some value fell outside 0..k-1).  `labels`
        # that are the indices themselves, in any order, name them: y_true holds indices.
        values = [v.item() if isinstance(v, np.generic) else v for v in labels]
        if all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in values) \
                and sorted(values) != list(range(n_cols)):
            column = {v: j for j, v in enumerate(values)}
            if all(v in column for v in np.unique(yt).tolist()):
                yt = np.array([column[v] for v in yt.tolist()], dtype=np.int64)
    if n_cols is not None:
        # y_pred's columns are the classes 0..k-1: y_true must index them
        if kind_t != "num" or yt.min() < 0 or yt.max() >= n_cols:
            got = (f"strings such as {_show(yt[0])}" if kind_t != "num" else
                   f"labels from {_show(yt.min())} to {_show(yt.max())}")
            raise ValueError(f"{what}, so y_true must hold class indices 0..{n_cols - 1}, "
                             f"got {got}")
        if labels is not None and len(labels) != n_cols:
            raise ValueError(f"labels has {plural(len(labels), 'name')} but {what}")
        k = n_cols
        names = [str(c) for c in range(k)] if labels is None else [str(s) for s in labels]
        counts = np.bincount(yt.astype(np.int64) * k + yp, minlength=k * k).reshape(k, k)
        if labels is not None:
            # the indices themselves in another order (labels=[1, 0]) order the rows and
            # columns, as they do for y_pred of class labels below: read as the columns'
            # display names, the row named "1" showed class 0's counts
            values = [v.item() if isinstance(v, np.generic) else v for v in labels]
            if all(is_int(v) for v in values) and sorted(values) == list(range(k)):
                counts = counts[np.ix_(values, values)]
        return counts, names

    if kind_t != kind_p:
        holds = {"str": "strings", "num": "numbers"}
        raise TypeError(f"y_true holds {holds[kind_t]} but y_pred holds {holds[kind_p]}: "
                        f"give both the same kind of class labels")
    numeric = kind_t == "num"       # (and so kind_p: checked above)
    it, ip = (yt.astype(np.int64), yp.astype(np.int64)) if numeric else (yt, yp)
    if numeric and labels is not None:
        # `labels` that are numbers listing every class that occurs (an estimator's
        # classes_, or scikit-learn's labels=[1, 0] to put class 1 first) choose the
        # classes and their order, as string classes do below: read as display names
        # in sorted order, labels=[1, -1] named class -1's row "1" and class 1's "-1".
        # Numbers that miss a class present are display names (one-based [1, 2, 3]
        # for the indices 0, 1, 2).
        values = [v.item() if isinstance(v, np.generic) else v for v in labels]
        if all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in values) \
                and len(set(values)) == len(values) \
                and set(np.union1d(it, ip).tolist()) <= set(values):
            k = len(values)
            order = np.argsort(np.asarray(values, dtype=np.float64), kind="stable")
            ordered = np.asarray(values, dtype=np.float64)[order]
            ti = order[np.searchsorted(ordered, it)]
            pi = order[np.searchsorted(ordered, ip)]
            counts = np.bincount(ti * k + pi, minlength=k * k).reshape(k, k)
            return counts, [str(s) for s in labels]
    # Class indices 0..k-1 when the labels look like that (or `labels` names them): not
    # arbitrary integers such as years, which would make a matrix up to the largest one
    index_like = (numeric and min(it.min(), ip.min()) >= 0 and (
        max(it.max(), ip.max()) < (len(labels) if labels is not None
                                   else max(2 * len(np.union1d(it, ip)), 10))))
    if index_like:
        # Class indices 0..k-1: keep classes that never occur so the axes read 0..k-1.
        k = int(max(it.max(), ip.max())) + 1 if labels is None else len(labels)
        names = [str(c) for c in range(k)] if labels is None else [str(s) for s in labels]
        ti, pi = it, ip
    else:
        yt, yp = it, ip
        classes = np.union1d(yt, yp)
        k = len(classes)
        if labels is not None and kind_t == "str":
            given = [str(s) for s in labels]
            missing = [c for c in classes if c not in set(given)]
            if not missing and len(set(given)) == len(given):
                # `labels` lists the classes themselves (an estimator's classes_, or any
                # order, as scikit-learn's labels=): rows and columns in that order
                index = {c: j for j, c in enumerate(given)}
                k = len(given)
                ti = np.array([index[v] for v in yt], dtype=np.int64)
                pi = np.array([index[v] for v in yp], dtype=np.int64)
                counts = np.bincount(ti * k + pi, minlength=k * k).reshape(k, k)
                return counts, given
            if len(missing) < len(classes):
                # some class names, in another place: renaming by sorted position
                # would put a class under another class's name
                raise ValueError(f"labels names some of the classes but not "
                                 f"{', '.join(map(_show, missing[:3]))}: list every "
                                 f"class (in any order), or give display names that are "
                                 f"not class names, in sorted class order")
        if labels is not None and len(labels) != k:
            raise ValueError(f"labels has {plural(len(labels), 'name')} but the data has "
                             f"{plural(k, 'class', 'classes')}")
        names = [str(c) for c in classes] if labels is None else [str(s) for s in labels]
        ti, pi = np.searchsorted(classes, yt), np.searchsorted(classes, yp)
    counts = np.bincount(ti * k + pi, minlength=k * k).reshape(k, k)
    return counts, names


def confusion_matrix(y_true: ArrayLike, y_pred: ArrayLike, path: StrPath | None = None,
                     labels: ArrayLike | None = None, normalize: bool = False,
                     title: str | None = None, ax: Axes | None = None,
                     cmap: str | Colormap = "Blues") -> Figure:
    """Annotated heatmap of true against predicted classes.

    Parameters
    ----------
    y_true : array-like, shape (n,)
        True classes: indices ``0 .. k-1`` (every index up to the largest gets a row,
        even if absent) or other labels, all integers or all strings (one row per
        label that occurs). Non-negative integers count as indices when they are below
        ``len(labels)`` (with `labels`) or below twice the number of distinct values (at
        least 10, without); others, such as years, as labels, named in sorted order.
        Whole-number floats count as integers; other floats, NaN and labels of mixed
        types (``[1, "a"]``) are errors.  Multi-label targets (an indicator matrix
        (n, k) of 0s and 1s) are not supported: plot one label at a time,
        ``confusion_matrix(y_true[:, j], y_pred[:, j])``.
    y_pred : array-like, shape (n,) or (n, k)
        Predicted classes, of the same kind as `y_true`; or class probabilities or
        scores of shape (n, k) (arg-max taken; `y_true` then holds indices
        ``0 .. k-1``, or labels that `labels` names in column order, such as an
        estimator's ``classes_``: strings, or numbers such as -1/1 or 1/2/3, read as
        those classes whenever `labels` lists every value of `y_true` and is not
        ``0 .. k-1`` in some order); or, for a binary
        problem, one column of probabilities of class 1 (floats in [0, 1], not all 0
        or 1, as ``misclassified_confidence`` reads them), predicting class 1 where
        above 0.5. Other non-integer floats are errors. An (n, k) array of only 0s and
        1s must be one-hot (exactly one 1 a row): a multi-label indicator matrix (a row
        with several 1s or none) is an error, not scores.
    path : str or path-like, optional
        Save the figure there (dpi 120).
    labels : sequence or 1-D array of str or class values, optional
        Display names of the classes, in index (or sorted-label) order. `labels` that
        list every class that occurs, as the class values themselves (an estimator's
        ``classes_``, ``["dog", "cat"]``, ``[1, 0]`` or ``[1, -1]``, in any order),
        choose the classes and their order instead, as scikit-learn's ``labels=``: a
        class listed but absent gets an empty row.
    normalize : bool, default False
        Show each row as fractions of its true class (recall on the diagonal) instead
        of counts, coloured on the scale 0 to 1 (counts: 0 to the largest count).
    title : str, optional
        Axes title (default gives the accuracy).
    ax : matplotlib.axes.Axes, optional
        Draw into this axes instead of a new figure.
    cmap : str, default "Blues"
        Colour map.

    Returns
    -------
    matplotlib.figure.Figure
        Cells are annotated up to 30 classes; above that a colour bar (a second axes)
        is drawn instead.

    Raises
    ------
    ValueError
        If the lengths differ, `labels` does not match the classes or gives a name
        twice, a value is NaN or
        infinite, a float is neither a whole number nor (in `y_pred`) a probability, or
        `y_true` does not index the columns of probabilities, or a 2-D `y_pred` of 0s
        and 1s is not one-hot (a multi-label indicator matrix).
    TypeError
        If labels mix strings and numbers (within or between `y_true` and `y_pred`).

    Examples
    --------
    >>> fig = fastmlp.plot.confusion_matrix(y_test, net.predict(X_test),  # doctest: +SKIP
    ...                                     path="confusion.png")
    >>> fig = fastmlp.plot.confusion_matrix(y_test,  # doctest: +SKIP
    ...                                     net.predict_proba(X_test))
    >>> # string classes:
    >>> fig = fastmlp.plot.confusion_matrix(y_words,  # doctest: +SKIP
    ...                                     clf.predict_proba(X_test), labels=clf.classes_)
    """
    _require_matplotlib()
    target = _check_path(path)
    if isinstance(normalize, str):      # scikit-learn's normalize="true"/"pred"/"all"
        raise TypeError(f"normalize must be True or False, got {brief(normalize)}: "
                        f"normalize=True gives fractions of each true class (rows), as "
                        f"scikit-learn's normalize='true'; 'pred' and 'all' are not "
                        f"offered")
    normalize = check_bool("normalize", normalize)
    counts, names = _confusion_counts(y_true, y_pred, labels)
    k = len(names)
    total = counts.sum()
    accuracy = np.trace(counts) / total
    if normalize:
        rows = counts.sum(axis=1, keepdims=True)
        values = np.divide(counts, rows, out=np.zeros(counts.shape), where=rows > 0)
    else:
        values = counts

    if title is None:
        title = f"confusion matrix (accuracy {accuracy:.2%}, n={total})"
    if ax is None:
        side = float(np.clip(1.6 + 0.55 * k, 4.0, 12.0))
        # wide enough for the title (about 0.1 inch a character), which the few classes'
        # square figure clipped at both edges (constrained layout does not widen it)
        # (of its longest line: a title of two lines is no wider than its longer one)
        longest = max((len(line) for line in str(title).splitlines()), default=0)
        fig = _figure((max(side + 0.4, 0.1 * longest + 0.5), side))
        ax = fig.add_subplot()
    else:
        fig = _axes_figure(ax)
    # Counts colour 0 .. the largest count; fractions of a row 0 .. 1, their own scale,
    # so that two models' matrices compare by colour (0 .. the largest fraction made a
    # model whose best recall is 0.4 look as dark as a perfect one; scikit-learn's
    # ConfusionMatrixDisplay autoscales, min .. max, both)
    vmax = 1 if normalize or values.max() <= 0 else values.max()
    image = ax.imshow(values, cmap=cmap, vmin=0, vmax=vmax, interpolation="nearest")
    if k > 30:  # too many cells to annotate: a colour bar gives the scale instead
        ax.figure.colorbar(image, ax=ax, shrink=0.8,
                           label="fraction of the row" if normalize else "count")
    else:
        fontsize = float(np.clip(13 - 0.3 * k, 6, 11))
        dark = _is_dark(image.to_rgba(values))     # (white text on the dark cells)
        for i in range(k):
            for j in range(k):
                v = values[i, j]
                if normalize:
                    text = f"{v:.2f}" if counts[i, j] else "0"
                else:
                    text = str(int(v))
                ax.text(j, i, text, ha="center", va="center", fontsize=fontsize,
                        color="white" if dark[i, j] else "black")
    ticks = np.arange(k)
    step = max(1, math.ceil(k / 30))
    ax.set_xticks(ticks[::step])
    ax.set_yticks(ticks[::step])
    if max(map(len, names)) > 3:
        ax.set_xticklabels(names[::step], rotation=45, ha="right", rotation_mode="anchor")
    else:
        ax.set_xticklabels(names[::step])
    ax.set_yticklabels(names[::step])
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.set_title(title)
    return _finish(fig, target)
