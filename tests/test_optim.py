"""Update rules in the compiled engine against their NumPy twin (fastmlp/optim.py), step
by step, and the training controls: schedules, clipping, early stopping, callbacks."""
import copy
import math
import pickle
import re
import warnings

import numpy as np
import pytest

import fastmlp
from fastmlp.optim import Optimizer, check_schedule_options, max_schedule_lr, schedule_lr

RULES = [dict(optimizer="sgd"),
         dict(optimizer="sgd", weight_decay=0.01),
         dict(optimizer="momentum", momentum=0.9),
         dict(optimizer="momentum", momentum=0.9, nesterov=True, weight_decay=0.001),
         dict(optimizer="adam"),
         dict(optimizer="adam", weight_decay=0.01, decoupled_weight_decay=True),
         dict(optimizer="sgd", clip=0.05),
         dict(optimizer="momentum", decoupled_weight_decay=True, weight_decay=0.1)]


def problem(rng, n=48):
    X = rng.standard_normal((n, 5))
    y = rng.integers(0, 3, n)
    return X, y


@pytest.mark.parametrize("rule", RULES, ids=lambda r: "-".join(f"{k}={v}" for k, v in r.items()))
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_engine_rule_equals_numpy_rule_every_step(rule, dtype, rng):
    X, y = problem(rng)
    kw = {k: v for k, v in rule.items() if k != "optimizer"}
    nets, opts = {}, {}
    for engine in ("loop", "numpy"):
        nets[engine] = fastmlp.MLP([5, 7, 3], dtype=dtype, seed=0)
        opts[engine] = Optimizer(rule["optimizer"], lr=0.05, **kw)
    tol = dict(rtol=1e-10, atol=1e-13) if dtype == "float64" else dict(rtol=2e-4, atol=2e-6)
    for step in range(6):   # one full-batch step per call, state carried by the Optimizer
        for engine in ("loop", "numpy"):
            fastmlp.train(nets[engine], X, y, epochs=1, batch_size=None, engine=engine,
                          optimizer=opts[engine], shuffle=False)
        np.testing.assert_allclose(nets["loop"].params, nets["numpy"].params, **tol)
    if rule["optimizer"] == "adam":
        assert opts["loop"].t == opts["numpy"].t == 6


def test_sgd_rule_by_hand(rng):
    X, y = problem(rng, 10)
    net = fastmlp.MLP([5, 4, 3], dtype="float64", seed=1)
    dW, db = fastmlp.gradients(net, X, y)
    W0 = net.weights[0].copy()
    fastmlp.train(net, X, y, epochs=1, batch_size=None, lr=0.1, weight_decay=0.5, shuffle=False)
    np.testing.assert_allclose(net.weights[0], W0 - 0.1 * (dW[0] + 0.5 * W0), rtol=1e-12)


def test_momentum_and_adam_rules_by_hand():
    p = np.array([1.0, -2.0])
    G = np.array([0.4, 0.2])            # summed over m=2 samples -> mean [0.2, 0.1]
    opt = Optimizer("momentum", lr=0.1, momentum=0.5)
    opt.init_state(2, np.float64)
    opt.step(p, G.copy(), 2, n_weights=2)
    np.testing.assert_allclose(p, [1 - 0.02, -2 - 0.01])
    opt.step(p, G.copy(), 2, n_weights=2)   # v = 0.5 v - lr g
    np.testing.assert_allclose(p, [0.98 - 0.03, -2.01 - 0.015])
    p = np.array([1.0, -2.0])
    opt = Optimizer("adam", lr=0.1)
    opt.init_state(2, np.float64)
    opt.step(p, G.copy(), 2, n_weights=2)
    # first Adam step moves every parameter by ~lr in the gradient's sign
    np.testing.assert_allclose(p, [0.9, -2.1], rtol=1e-6)


def test_clipping_limits_the_step(rng):
    X, y = problem(rng)
    net = fastmlp.MLP([5, 7, 3], dtype="float64", seed=0)
    p0 = net.params.copy()
    fastmlp.train(net, X, y, epochs=1, batch_size=None, lr=1.0, clip=1e-3, shuffle=False)
    assert np.linalg.norm(net.params - p0) == pytest.approx(1e-3, rel=1e-9)


def test_schedules():
    assert schedule_lr("constant", 0.1, 5, 10) == 0.1
    assert schedule_lr("step", 0.1, 10, 30, step_size=10, gamma=0.5) == pytest.approx(0.05)
    assert schedule_lr("invscaling", 0.1, 3, 10, power=1.0) == pytest.approx(0.025)
    assert schedule_lr("cosine", 0.1, 0, 10) == pytest.approx(0.1)
    assert schedule_lr("cosine", 0.1, 5, 10) == pytest.approx(0.05)
    assert schedule_lr(lambda e: 0.5 / (e + 1), 0.1, 1, 10) == 0.25
    with pytest.raises(ValueError, match="lr_schedule"):
        schedule_lr("warp", 0.1, 0, 10)


def test_schedule_rates_that_overflow_are_inf_or_zero(rng):
    """gamma ** k (step) and (epoch + 1) ** power (invscaling) beyond float's range raised
    OverflowError from schedule_lr, out of train() without its history (and a traceback
    from `fastmlp train --power 2000`): they are inf and 0, as the products and
    quotients beyond the range are (max_schedule_lr's inf, too)."""
    assert schedule_lr("step", 0.1, 40, 50, step_size=1, gamma=1e10) == math.inf
    assert schedule_lr("invscaling", 0.1, 1, 3, power=2000.0) == 0.0
    X, y = problem(rng)
    with pytest.warns(UserWarning, match="to 0 in float32 from epoch 2 of 2"):
        hist = fastmlp.train(fastmlp.MLP([5, 4, 3], seed=0), X, y, epochs=2, lr=0.1,
                             lr_schedule="invscaling", schedule_options={"power": 2000.0})
    assert hist.lr == [0.1, 0.0]


@pytest.mark.parametrize("engine", ["loop", "numpy"])
def test_a_rate_that_rounds_to_zero_in_the_nets_dtype_is_refused(engine, rng):
    """lr > 0 below float32's smallest number (half of ~1.4e-45) is 0 in a float32 net's
    steps: it trained nothing, silently, where lr=0 is refused.  Refused too, naming the
    dtype.  The float64 net trains on such a rate (float64's own 0, below ~5e-324, is
    lr=0)."""
    X, y = problem(rng, 16)
    net = fastmlp.MLP([5, 4, 3], seed=0)           # float32
    with pytest.raises(ValueError, match=r"lr=1e-46 rounds to 0 in float32, the net's dtype "
                                         r"\(its smallest positive number is 1\.4e-45\), "
                                         r"so training would change nothing; raise the "
                                         r"learning rate or train a float64 net"):
        fastmlp.train(net, X, y, epochs=1, lr=1e-46, engine=engine)
    with pytest.raises(ValueError, match="lr=1e-46 rounds to 0 in float32"):
        fastmlp.train(net, X, y, epochs=1, optimizer=Optimizer("adam", lr=1e-46),
                      engine=engine)
    assert fastmlp.train(net, X, y, epochs=1, lr=1e-44, engine=engine).lr == [1e-44]
    net64 = fastmlp.MLP([5, 4, 3], dtype="float64", seed=0)
    assert fastmlp.train(net64, X, y, epochs=1, lr=1e-46, engine=engine).lr == [1e-46]
    with pytest.raises(ValueError, match="lr must be > 0"):
        fastmlp.train(net64, X, y, epochs=1, lr=1e-330, engine=engine)


def test_a_schedule_that_decays_to_zero_in_the_nets_dtype_warns(rng, recwarn):
    """A "step" or "invscaling" schedule (or a callable) may anneal the rate below the
    dtype's smallest number: the user's choice, but the epochs from there on train
    nothing, which a warning before training says (the first such epoch found by
    bisection)."""
    X, y = problem(rng, 16)
    step = {"step_size": 1, "gamma": 1e-10}         # 1e-2, 1e-12, ..., 1e-42, 1e-52
    with pytest.warns(UserWarning, match=r"lr_schedule='step' brings the learning rate to 0 "
                                         r"in float32 from epoch 6 of 8 on \(1e-52\): the "
                                         r"last 3 epochs train nothing"):
        hist = fastmlp.train(fastmlp.MLP([5, 4, 3], seed=0), X, y, epochs=8, lr=0.01,
                             lr_schedule="step", schedule_options=step)
    assert hist.lr[5] == pytest.approx(1e-52)
    recwarn.clear()
    fastmlp.train(fastmlp.MLP([5, 4, 3], dtype="float64", seed=0), X, y, epochs=8, lr=0.01,
                  lr_schedule="step", schedule_options=step)
    fastmlp.train(fastmlp.MLP([5, 4, 3], seed=0), X, y, epochs=5, lr=0.01,
                  lr_schedule="step", schedule_options=step)
    with fastmlp.optim.quiet_about_zero_rates():        # (as the estimators train)
        fastmlp.train(fastmlp.MLP([5, 4, 3], seed=0), X, y, epochs=8, lr=0.01,
                      lr_schedule="step", schedule_options=step)
    assert not [w for w in recwarn if "to 0 in" in str(w.message)]
    # a callable's rates come epoch by epoch, and its lr is not used: said at the first
    # epoch whose rate rounds to 0, once
    with pytest.warns(UserWarning, match=r"lr_schedule\(1\) returned 1e-50, which rounds "
                                         r"to 0 in float32, the net's dtype: epoch 2 trains "
                                         r"nothing") as record:
        hist = fastmlp.train(fastmlp.MLP([5, 4, 3], seed=0), X, y, epochs=3, lr=1e-46,
                             lr_schedule=lambda epoch: 10.0 ** (-50 * epoch))
    assert hist.lr == [1.0, 1e-50, 1e-100]
    assert len([w for w in record if "rounds to 0" in str(w.message)]) == 1


def test_schedule_is_applied(rng):
    X, y = problem(rng)
    net = fastmlp.MLP([5, 4, 3], seed=0)
    hist = fastmlp.train(net, X, y, epochs=4, lr=0.1, lr_schedule="step",
                         schedule_options={"step_size": 2, "gamma": 0.1})
    assert hist.lr == pytest.approx([0.1, 0.1, 0.01, 0.01])
    with pytest.raises(ValueError, match="schedule_options"):
        fastmlp.train(net, X, y, lr_schedule="step", schedule_options={"steps": 2})


def test_early_stopping_restores_best(rng):
    X, y = problem(rng, 60)
    Xv, yv = problem(rng, 60)     # unrelated labels: validation loss soon rises
    net = fastmlp.MLP([5, 64, 3], dtype="float64", seed=0)
    snapshots = []
    hist = fastmlp.train(net, X, y, epochs=300, lr=0.2, validation=(Xv, yv),
                         early_stopping=True, patience=5, seed=0,
                         callback=lambda e, h, n: snapshots.append(n.params.copy()))
    assert hist.stopped_early and len(hist) < 300
    best = int(np.argmin(hist.val_loss))
    assert hist.best_epoch == best
    np.testing.assert_array_equal(net.params, snapshots[best])


def test_callback_can_stop(rng):
    X, y = problem(rng)
    net = fastmlp.MLP([5, 4, 3], seed=0)
    seen = []
    hist = fastmlp.train(net, X, y, epochs=10,
                         callback=lambda e, h, n: seen.append((e, len(h))) or e == 2)
    assert len(hist) == 3 and seen == [(0, 1), (1, 2), (2, 3)]


def test_lr_beside_a_callable_schedule_is_a_warning(rng, recwarn):
    """lr beside a callable lr_schedule is unused (its return values are the rates):
    given, it was taken without a word, where the other unused settings warn. The
    default, in any type, is no warning; nor is quiet_about_unused_lr() (the command
    line's --resume, whose function computes its rates from --lr)."""
    X, y = problem(rng)
    with pytest.warns(UserWarning, match=r"^lr=0\.5 is not used beside a callable "
                                         r"lr_schedule, whose return values are the "
                                         r"rates: ignored$"):
        hist = fastmlp.train(fastmlp.MLP([5, 4, 3], seed=0), X, y, epochs=2, lr=0.5,
                             lr_schedule=lambda epoch: 1e-3)
    assert hist.lr == [1e-3, 1e-3]
    recwarn.clear()
    fastmlp.train(fastmlp.MLP([5, 4, 3], seed=0), X, y, epochs=1, lr=np.float32(0.01),
                  lr_schedule=lambda epoch: 1e-3)
    with fastmlp.optim.quiet_about_unused_lr():
        fastmlp.train(fastmlp.MLP([5, 4, 3], seed=0), X, y, epochs=1, lr=0.5,
                      lr_schedule=lambda epoch: 1e-3)
    fastmlp.train(fastmlp.MLP([5, 4, 3], seed=0), X, y, epochs=1, lr=0.5)
    assert not [w for w in recwarn if issubclass(w.category, UserWarning)]


def test_an_optimizer_s_own_lr_beside_a_callable_schedule_is_a_warning(rng, recwarn):
    """An Optimizer instance's own lr beside a callable lr_schedule is as unused as
    train()'s lr there, which warns (test above): it was taken without a word. Its
    default is no warning, nor is quiet_about_unused_lr(); the estimators, whose
    Optimizer's lr is learning_rate_init, the rate their schedule starts from, stay
    silent."""
    X, y = problem(rng)
    with pytest.warns(UserWarning, match=r"^optimizer's lr=0\.5 is not used beside a "
                                         r"callable lr_schedule, whose return values are "
                                         r"the rates: ignored$"):
        hist = fastmlp.train(fastmlp.MLP([5, 4, 3], seed=0), X, y, epochs=2,
                             optimizer=Optimizer("sgd", lr=0.5),
                             lr_schedule=lambda epoch: 1e-3)
    assert hist.lr == [1e-3, 1e-3]
    recwarn.clear()
    # (np.float32(0.01), the default in its own precision, as train()'s lr= counts it: it
    # was "optimizer's lr=0.0099999998 is not used", a default that the user never changed)
    for opt in (Optimizer("adam"), Optimizer("sgd", lr=0.01),
                Optimizer("sgd", lr=np.float32(0.01)), Optimizer("sgd", lr=np.array(0.01))):
        fastmlp.train(fastmlp.MLP([5, 4, 3], seed=0), X, y, epochs=1, optimizer=opt,
                      lr_schedule=lambda epoch: 1e-3)
    with fastmlp.optim.quiet_about_unused_lr():
        fastmlp.train(fastmlp.MLP([5, 4, 3], seed=0), X, y, epochs=1,
                      optimizer=Optimizer("momentum", lr=0.5), lr_schedule=lambda e: 1e-3)
    fastmlp.train(fastmlp.MLP([5, 4, 3], seed=0), X, y, epochs=1,
                  optimizer=Optimizer("sgd", lr=0.5))
    pytest.importorskip("sklearn")
    from fastmlp.estimators import FastMLPClassifier
    for schedule in ("constant", "invscaling", "adaptive"):
        FastMLPClassifier(hidden_layer_sizes=(4,), optimizer="sgd", learning_rate=schedule,
                          learning_rate_init=0.05, max_iter=2, random_state=0).fit(X, y)
    assert not [str(w.message) for w in recwarn if "lr" in str(w.message)]


@pytest.mark.parametrize("engine", ["loop", "numpy", "batch"])
def test_callback_may_reset_or_spoil_the_optimizers_state(engine, rng):
    """A callback that resets an Optimizer's state (``opt.state1 = opt.state2 = None``)
    starts it afresh for the next epoch, as train() does at its start: the next epoch
    failed with an AttributeError ('NoneType' object has no attribute 'copy').  State
    it leaves NaN or of another size, or a step count that is no integer >= 0, is a
    ValueError naming the callback, the net and the state back as they were before
    that call: the next epoch diverged, blaming the learning rate (the NumPy engine: a
    'math domain error'), trained on with t = 2.5, or started afresh silently."""
    X, y = problem(rng)
    a = fastmlp.MLP([5, 6, 3], dtype="float64", seed=0)
    b = a.copy()
    oa, ob = Optimizer("adam", lr=0.01), Optimizer("adam", lr=0.01)

    def reset(epoch, hist, net):
        oa.state1 = oa.state2 = None
    fastmlp.train(a, X, y, epochs=2, optimizer=oa, shuffle=False, engine=engine,
                  callback=reset)
    for _ in range(2):
        ob.state1 = ob.state2 = None
        fastmlp.train(b, X, y, epochs=1, optimizer=ob, shuffle=False, engine=engine)
    assert a == b
    for spoil, match in [(lambda o: o.state2.fill(np.nan), "state2.*NaN or infinity"),
                         (lambda o: setattr(o, "state2", np.zeros(3)),
                          r"state2 .*has shape \(3,\)"),
                         (lambda o: setattr(o, "t", -1), "t .*must be >= 0"),
                         (lambda o: setattr(o, "t", 2.5), "t .*must be an integer")]:
        net, opt, kept = a.copy(), Optimizer("adam", lr=0.01), []

        def spoiler(epoch, hist, n):
            if epoch == 1:
                kept.append((n.params.copy(), opt.t, opt.state1, opt.state1.copy(),
                             opt.state2.copy()))
                n.params[0] += 1                        # (undone too)
                opt.state1 = np.zeros_like(opt.state1)  # (the old array put back)
                spoil(opt)
        with pytest.raises(ValueError, match=r"callback\(epoch=1.*optimizer.*" + match) as info:
            fastmlp.train(net, X, y, epochs=3, optimizer=opt, engine=engine, callback=spoiler)
        assert len(info.value.history) == 2
        params, t, state1, m1, m2 = kept[0]
        np.testing.assert_array_equal(net.params, params)
        assert opt.t == t and opt.state1 is state1
        np.testing.assert_array_equal(opt.state1, m1)
        np.testing.assert_array_equal(opt.state2, m2)


@pytest.mark.parametrize("sampler", ["shuffle", "sequential", "window"])
def test_samplers_agree_with_reference(sampler, rng):
    X, y = problem(rng, 50)
    a = fastmlp.MLP([5, 6, 3], dtype="float64", seed=0)
    b = a.copy()
    for net, engine in ((a, "loop"), (b, "numpy")):
        fastmlp.train(net, X, y, epochs=2, batch_size=8, sampler=sampler, seed=3, engine=engine)
    np.testing.assert_allclose(a.params, b.params, rtol=1e-10)


@pytest.mark.parametrize("rule", ["momentum", "adam"])
def test_ctrl_c_in_the_last_callback_after_it_reset_the_optimizer_restores_the_best(rule,
                                                                                   rng):
    """A Ctrl-C in the callback of the last epoch still ends training (the best epoch's
    weights and optimizer state restored), also where that callback had set the state to
    None first: restoring it failed with "TypeError: 'NoneType' object does not support
    item assignment"."""
    X, y = problem(rng, 60)
    net, opt = fastmlp.MLP([5, 6, 3], dtype="float64", seed=0), Optimizer(rule, lr=0.05)

    def reset_then_ctrl_c(epoch, hist, n):
        if epoch == 4:
            opt.state1 = opt.state2 = None
            raise KeyboardInterrupt
    hist = fastmlp.train(net, X, y, epochs=5, optimizer=opt, validation=0.25, seed=2,
                         early_stopping=True, patience=5, on_interrupt="stop",
                         callback=reset_then_ctrl_c)
    assert hist.interrupted and hist.best_epoch is not None
    ref, ref_opt = fastmlp.MLP([5, 6, 3], dtype="float64", seed=0), Optimizer(rule, lr=0.05)
    fastmlp.train(ref, X, y, epochs=hist.best_epoch + 1, optimizer=ref_opt, validation=0.25,
                  seed=2)
    assert net == ref and opt.t == ref_opt.t
    np.testing.assert_array_equal(opt.state1, ref_opt.state1)
    if rule == "adam":
        np.testing.assert_array_equal(opt.state2, ref_opt.state2)
    fastmlp.train(net, X, y, epochs=1, optimizer=opt, seed=3)       # (goes on from it)
    fastmlp.train(ref, X, y, epochs=1, optimizer=ref_opt, seed=3)
    assert net == ref


@pytest.mark.parametrize("batch_size,steps", [(None, [1, 1, 1]), (100, [1, 2, 2]),
                                              (30, [2, 4, 6])])
def test_a_sampler_function_may_give_more_samples_than_there_are(batch_size, steps, rng):
    """A sampler function's epoch of more than n indices (drawn with replacement) is cut
    into minibatches of `batch_size`, or is one minibatch with batch_size=None, in
    every engine: the minibatches were n samples at most, so that epochs of 60, 120 and
    180 of 40 samples took 2, 3 and 5 steps with batch_size=None (1, 1, 1 asked for)
    or 100 (1, 2, 2)."""
    X, y = problem(rng, 40)
    draw = np.random.default_rng(5)
    orders = [draw.integers(0, 40, size) for size in (60, 120, 180)]   # (growing)
    ref = None
    for engine, threads in [("numpy", 1), ("loop", 1), ("batch", 1), ("loop", 2)]:
        net, opt = fastmlp.MLP([5, 6, 3], dtype="float64", seed=0), Optimizer("adam", lr=0.01)
        taken = []
        fastmlp.train(net, X, y, epochs=3, batch_size=batch_size, optimizer=opt,
                      engine=engine, threads=threads, deterministic=True,
                      sampler=lambda epoch: orders[epoch],
                      callback=lambda e, h, n: taken.append(opt.t))
        assert np.diff([0] + taken).tolist() == steps, engine
        if ref is None:
            ref = net.params.copy()
        np.testing.assert_allclose(net.params, ref, rtol=1e-10, err_msg=engine)


def test_optimizer_instance_keeps_state(rng):
    X, y = problem(rng)
    opt = Optimizer("adam", lr=0.01)
    a = fastmlp.MLP([5, 6, 3], dtype="float64", seed=0)
    b = a.copy()
    fastmlp.train(a, X, y, epochs=2, optimizer=opt, seed=1, shuffle=False)
    opt2 = Optimizer("adam", lr=0.01)
    fastmlp.train(b, X, y, epochs=1, optimizer=opt2, seed=1, shuffle=False)
    fastmlp.train(b, X, y, epochs=1, optimizer=opt2, seed=1, shuffle=False)
    np.testing.assert_allclose(a.params, b.params, rtol=1e-12)


@pytest.mark.parametrize("engine", ["loop", "numpy"])
def test_optimizer_state_assigned_by_hand(engine, rng, tmp_path):
    """State restored from a file memory-mapped read-only, or strided, is copied into the
    engine's layout (the engine said "buffer source array is read-only" / "ndarray is not
    C-contiguous"); state missing or of another size starts afresh; a step count that
    is not an integer >= 0 is refused naming it (a negative one trained to NaN)."""
    X, y = problem(rng)
    opt = Optimizer("adam", lr=0.01)
    a = fastmlp.MLP([5, 6, 3], dtype="float64", seed=0)
    fastmlp.train(a, X, y, epochs=2, optimizer=opt, seed=1, engine=engine)
    b = a.copy()
    np.save(tmp_path / "m1.npy", opt.state1)
    restored = Optimizer("adam", lr=0.01)
    restored.state1 = np.load(tmp_path / "m1.npy", mmap_mode="r")
    restored.state2 = np.repeat(opt.state2, 2)[::2]
    restored.t = opt.t
    fastmlp.train(a, X, y, epochs=1, optimizer=opt, seed=2, engine=engine)
    fastmlp.train(b, X, y, epochs=1, optimizer=restored, seed=2, engine=engine)
    np.testing.assert_array_equal(a.params, b.params)
    restored.state2 = None                  # missing: both start afresh
    fastmlp.train(b, X, y, epochs=1, optimizer=restored, seed=2, engine=engine)
    assert restored.state2.shape == (b.n_params,) and restored.t == 2
    # of another size: refused, as PyTorch's load_state_dict refuses it (it started
    # afresh, silently), the state left as assigned
    wrong = np.zeros(b.n_params - 1)
    restored.state1 = wrong
    with pytest.raises(ValueError, match=r"^optimizer\.state1 \(adam's state, assigned by "
                                         r"hand\) has shape \(56,\), where the net \(sizes="
                                         r"\[5, 6, 3\]\) has 57 parameters: assign an array "
                                         r"of shape \(57,\), or None"):
        fastmlp.train(b, X, y, epochs=1, optimizer=restored, engine=engine)
    assert restored.state1 is wrong and restored.t == 2
    with pytest.raises(TypeError, match=r"optimizer\.state1 .* must be an array of real"):
        restored.state1 = np.array(["a"] * b.n_params)
        fastmlp.train(b, X, y, epochs=1, optimizer=restored, engine=engine)
    restored.state1 = np.zeros(b.n_params)
    for t, exc in ((-1, ValueError), (1.5, TypeError), ("3", TypeError)):
        restored.t = t
        with pytest.raises(exc, match=r"optimizer\.t"):
            fastmlp.train(b, X, y, epochs=1, optimizer=restored, engine=engine)


def test_optimizer_state_assigned_in_another_dtype_is_converted(rng):
    """State of the right size in another dtype (a float64 checkpoint's moments for a
    float32 net), or a list, is converted to the net's dtype, as PyTorch's
    load_state_dict casts it: it was dropped silently, the run going on from zero."""
    X, y = problem(rng)
    opt = Optimizer("adam", lr=0.01)
    a = fastmlp.MLP([5, 6, 3], dtype="float32", seed=0)
    fastmlp.train(a, X, y, epochs=2, optimizer=opt, seed=1)
    b = a.copy()
    restored = Optimizer("adam", lr=0.01)
    restored.state1 = opt.state1.astype(np.float64)
    restored.state2 = opt.state2.tolist()
    restored.t = opt.t
    fastmlp.train(a, X, y, epochs=1, optimizer=opt, seed=2)
    fastmlp.train(b, X, y, epochs=1, optimizer=restored, seed=2)
    np.testing.assert_array_equal(a.params, b.params)
    assert restored.state1.dtype == restored.state2.dtype == np.float32
    restored.state2 = np.full(b.n_params, 1e300)          # (finite, beyond float32)
    with pytest.raises(ValueError, match=r"state2 .* holds values beyond the range of "
                                         r"float32, the net's dtype \(largest 1e\+300\)"):
        fastmlp.train(b, X, y, optimizer=restored)
    if np.finfo(np.longdouble).max > 1e308:     # (said from the long double: was "inf")
        restored.state2 = np.full(b.n_params, np.longdouble("2.5e400"))
        with pytest.raises(ValueError, match=r"float32, the net's dtype \(largest "
                                             r"2\.5e\+400\)"):
            fastmlp.train(b, X, y, optimizer=restored)
    # second moments below 0 (the first moments assigned to state2, say): refused, naming
    # them; the steps divided by their square root were NaN, a divergence blamed on lr
    restored.state2 = np.abs(restored.state1)
    restored.state2[0] = -1e-3
    with pytest.raises(ValueError, match=r"^optimizer\.state2 \(adam's second moment "
                                         r"estimates\) holds negative values \(smallest "
                                         r"-0\.001\): it is a mean of squared gradients"):
        fastmlp.train(b, X, y, optimizer=restored)


@pytest.mark.parametrize("engine", ["loop", "numpy"])
def test_one_array_assigned_to_both_adam_moments_is_copied_apart(engine, rng):
    """opt.state1 = opt.state2 = np.zeros(n) (state reset by hand, one array for both
    moments) trains as a fresh Adam: the engines updated both moments in that one
    array, and the run diverged, blaming the learning rate."""
    X, y = problem(rng)
    a = fastmlp.MLP([5, 6, 3], dtype="float64", seed=0)
    b = a.copy()
    fastmlp.train(a, X, y, epochs=2, optimizer=Optimizer("adam", lr=0.01), seed=1,
                  engine=engine)
    opt = Optimizer("adam", lr=0.01)
    opt.state1 = opt.state2 = zeros = np.zeros(b.n_params)
    fastmlp.train(b, X, y, epochs=2, optimizer=opt, seed=1, engine=engine)
    np.testing.assert_array_equal(a.params, b.params)
    assert opt.state1 is zeros and not np.shares_memory(opt.state1, opt.state2)


@pytest.mark.parametrize("schedule, options, match", [
    ("constant", {"step_size": 3}, r"\['step_size'\] do not apply to lr_schedule='constant'"),
    ("step", {"step_size": 3, "lr_min": 0.0}, r"\['lr_min'\] do not apply to lr_schedule='step' "
                                              r"\(it takes only \['step_size', 'gamma'\]\)"),
    ("invscaling", {"gamma": 0.5, "power": 1}, r"\['gamma'\] do not apply"),
    ("cosine", {"power": 1, "step_size": 2}, r"\['step_size', 'power'\] do not apply"),
    (lambda e: 0.1, {"gamma": 0.5}, r"\['gamma'\] do not apply to a callable lr_schedule"),
])
def test_schedule_options_must_apply_to_the_schedule(schedule, options, match, rng):
    with pytest.raises(ValueError, match=match):
        check_schedule_options(schedule, 0.1, options)
    X, y = problem(rng, 8)
    with pytest.raises(ValueError, match=match):
        fastmlp.train(fastmlp.MLP([5, 3, 3], seed=0), X, y, epochs=1,
                      lr_schedule=schedule, schedule_options=options)
    # the options each schedule takes, and none (None or {}) for any schedule
    assert check_schedule_options("cosine", 0.1, {"lr_min": 0.01}) == {"lr_min": 0.01}
    assert check_schedule_options("invscaling", 0.1, {"power": 1}) == {"power": 1.0}
    assert check_schedule_options(schedule, 0.1, {}) == {}
    assert check_schedule_options(schedule, 0.1, None) == {}


@pytest.mark.parametrize("engine", ["loop", "numpy"])
def test_decoupled_decay_needs_lr_times_decay_below_one(engine, rng):
    """The weights shrink by 1 - lr * weight_decay per step: at lr * weight_decay >= 1 they
    would be zeroed or flip sign, in both engines alike."""
    X, y = problem(rng, 16)
    for lr, wd in ((1.0, 3.0), (0.5, 2.0)):
        with pytest.raises(ValueError, match=r"lr \* weight_decay < 1"):
            Optimizer("adam", lr=lr, weight_decay=wd, decoupled_weight_decay=True)
        with pytest.raises(ValueError, match=f"lr={lr:g} with decoupled weight_decay={wd:g}"):
            fastmlp.train(fastmlp.MLP([5, 4, 3], seed=0), X, y, epochs=1, engine=engine,
                          lr=lr, weight_decay=wd, decoupled_weight_decay=True)
    # just below 1: the weights shrink by the factor 0.1, then take the gradient step
    net = fastmlp.MLP([5, 4, 3], dtype="float64", seed=0)
    W0 = net.weights[0].copy()
    dW, _ = fastmlp.gradients(net, X, y)
    fastmlp.train(net, X, y, epochs=1, batch_size=None, engine=engine, lr=0.9,
                  weight_decay=1.0, decoupled_weight_decay=True, shuffle=False)
    np.testing.assert_allclose(net.weights[0], (1 - 0.9) * W0 - 0.9 * dW[0], rtol=1e-10)
    Optimizer("sgd", lr=1.0, weight_decay=3.0)   # coupled decay: the penalty's gradient


def test_decoupled_decay_checks_the_largest_rate_of_a_schedule():
    opt = Optimizer("sgd", lr=0.1, weight_decay=2.0, decoupled_weight_decay=True)
    grow = {"step_size": 2, "gamma": 3.0}      # 0.1, 0.1, 0.3, 0.3, 0.9, ...
    assert max_schedule_lr("step", 0.1, 4, **grow) == pytest.approx(0.3)
    assert check_schedule_options("step", 0.1, grow, epochs=4, optimizer=opt) == grow
    with pytest.raises(ValueError, match=r"lr=0.9 \(the largest rate of lr_schedule='step' "
                                         r"in 5 epochs\)"):
        check_schedule_options("step", 0.1, grow, epochs=5, optimizer=opt)
    with pytest.raises(ValueError, match="lr=inf"):      # gamma ** k overflows
        check_schedule_options("step", 0.1, {"step_size": 1, "gamma": 10.0}, epochs=10 ** 4,
                               optimizer=opt)
    for schedule, options in (("constant", {}), ("invscaling", {"power": 0.0}),
                              ("cosine", {"lr_min": 0.05}), ("step", {"gamma": 0.5})):
        assert max_schedule_lr(schedule, 0.1, 100, **options) == 0.1
        check_schedule_options(schedule, 0.1, options, epochs=100, optimizer=opt)
    # a callable's rates come epoch by epoch: check_lr, and the NumPy step itself
    with pytest.raises(ValueError, match=r"lr=0.6 \(lr_schedule\(3\)\)"):
        opt.check_lr(0.6, "lr_schedule(3)")
    assert opt.check_lr(0.4) == 0.4
    p, G = np.ones(4), np.ones(4)
    opt.init_state(4, np.float64)
    with pytest.raises(ValueError, match="lr=0.5 with decoupled"):
        opt.step(p, G, 1, n_weights=4, lr=0.5)
    np.testing.assert_array_equal(p, 1.0)


def test_optimizer_hyperparameters_are_read_only():
    """The engine trusts the checked hyperparameters: opt.lr = -1 would train by gradient
    ascent.  The state stays writable (warm starts carry it over)."""
    import copy
    import pickle
    opt = Optimizer("momentum", lr=0.1, nesterov=True, weight_decay=0.01, clip=1.0)
    for attr in ("name", "lr", "momentum", "nesterov", "beta1", "beta2", "eps",
                 "weight_decay", "decoupled", "clip"):
        before = getattr(opt, attr)
        with pytest.raises(AttributeError, match=rf"Optimizer\.{attr} is read-only.*new "
                                                 r"Optimizer.*lr_schedule"):
            setattr(opt, attr, -1)
        with pytest.raises(AttributeError, match="read-only"):
            delattr(opt, attr)
        assert getattr(opt, attr) == before
    with pytest.raises(AttributeError, match=r"Optimizer\(\.\.\., decoupled_weight_decay="):
        opt.decoupled = True
    assert (opt.name, opt.lr, opt.nesterov, opt.clip, opt.code) == ("momentum", 0.1, True,
                                                                    1.0, 2)
    opt.init_state(3, np.float64)
    opt.state1, opt.state2, opt.t = np.ones(3), np.ones(3), 5
    for clone in (copy.deepcopy(opt), pickle.loads(pickle.dumps(opt))):
        assert (clone.lr, clone.weight_decay, clone.t) == (0.1, 0.01, 5)
        np.testing.assert_array_equal(clone.state1, 1.0)


@pytest.mark.filterwarnings("ignore:optimizer's lr=.* is not used beside a callable")
@pytest.mark.parametrize("engine", ["loop", "numpy", "batch"])
@pytest.mark.parametrize("name, huge", [("momentum", 1e37), ("adam", 3e38)])
def test_divergence_rolls_the_optimizer_state_back_with_the_weights(engine, name, huge, rng):
    """An update that overflows a weight sends the net back to the epoch's start: the
    optimizer's state (velocity, Adam's moments and step count) goes back with it, so
    that the same Optimizer continues from weights and state that belong together (its
    velocity was left infinite: every later step diverged, whatever the rate)."""
    X = rng.standard_normal((16, 4))
    y = rng.standard_normal(16) * 1e3
    kw = dict(epochs=1, batch_size=None, loss="mse", engine=engine, shuffle=False)
    net = fastmlp.MLP([4, 5, 1], output="identity", dtype="float32", seed=0)
    opt = Optimizer(name, lr=1e-3)
    fastmlp.train(net, X, y, optimizer=opt, **kw)
    p0, s1, s2, t0 = net.params.copy(), opt.state1.copy(), opt.state2.copy(), opt.t
    with pytest.raises(fastmlp.DivergenceError, match="a weight"):
        fastmlp.train(net, X, y, optimizer=opt, lr_schedule=lambda e: huge, **kw)
    np.testing.assert_array_equal(net.params, p0)
    np.testing.assert_array_equal(opt.state1, s1)
    np.testing.assert_array_equal(opt.state2, s2)
    assert opt.t == t0
    # and training goes on as if the diverging call had not happened
    twin, twin_opt = net.copy(), Optimizer(name, lr=1e-3)
    twin_opt.state1, twin_opt.state2, twin_opt.t = s1.copy(), s2.copy(), t0
    fastmlp.train(net, X, y, optimizer=opt, **kw)
    fastmlp.train(twin, X, y, optimizer=twin_opt, **kw)
    np.testing.assert_array_equal(net.params, twin.params)


@pytest.mark.parametrize("engine", ["loop", "numpy", "batch"])
@pytest.mark.parametrize("name", ["momentum", "adam"])
def test_restore_best_restores_the_optimizer_state_with_the_weights(engine, name, rng):
    """Early stopping's restore_best puts the net back to its best epoch's weights and
    the optimizer back to its state after that epoch (velocity, Adam's moments and step
    count; the last epoch's were left with the best weights): both as training stopped
    at the best epoch leaves them, and a second train() with the same Optimizer goes
    on as from there.  restore_best=False keeps the last epoch's of both."""
    X, y = problem(rng, 64)
    Xv, yv = problem(rng, 32)
    kw = dict(batch_size=8, engine=engine, seed=0, validation=(Xv, yv))

    def run(restore_best=True, **more):
        net, opt = fastmlp.MLP([5, 12, 3], seed=0, dtype="float64"), Optimizer(name, lr=0.2)
        hist = fastmlp.train(net, X, y, optimizer=opt, restore_best=restore_best,
                             **kw, **more)
        return net, opt, hist

    def same(a, b):
        (net_a, opt_a), (net_b, opt_b) = a, b
        np.testing.assert_array_equal(net_a.params, net_b.params)
        np.testing.assert_array_equal(opt_a.state1, opt_b.state1)
        np.testing.assert_array_equal(opt_a.state2, opt_b.state2)
        assert opt_a.t == opt_b.t
    net, opt, hist = run(epochs=40, early_stopping=True, patience=2)
    best, done = hist.best_epoch, len(hist.train_loss)
    assert hist.stopped_early and best + 1 < done     # (else nothing to tell apart)
    short_net, short_opt, _ = run(epochs=best + 1)
    same((net, opt), (short_net, short_opt))
    assert opt.t == ((best + 1) * 8 if name == "adam" else 0)   # (8 minibatches an epoch)
    for a, b in ((net, opt), (short_net, short_opt)):       # going on from there
        fastmlp.train(a, X, y, epochs=2, optimizer=b, **kw)
    same((net, opt), (short_net, short_opt))
    last = run(epochs=40, early_stopping=True, patience=2, restore_best=False)
    same(last[:2], run(epochs=done)[:2])


@pytest.mark.parametrize("kw, exc, match", [
    (dict(lr=-0.1), ValueError, r"^lr must be > 0"),
    (dict(lr=float("nan")), ValueError, r"^lr must be finite"),
    (dict(momentum=-0.1), ValueError, r"^momentum must be in \[0, 1\], got -0.1$"),
    (dict(momentum=1.5), ValueError, r"^momentum must be in \[0, 1\], got 1.5"),
    (dict(beta1=1.0), ValueError, r"^beta1 must be in \[0, 1\), got 1.0$"),
    (dict(beta2=1.0), ValueError, r"^beta2 must be in \[0, 1\), got 1.0$"),
    (dict(beta1=0.9, beta2=2), ValueError, r"^beta2 must be in \[0, 1\), got 2$"),
    (dict(beta2=-0.5), ValueError, r"^beta2 must be in \[0, 1\), got -0.5$"),
    (dict(eps=0.0), ValueError, r"^eps must be > 0"),
    (dict(eps=float("nan")), ValueError, r"^eps must be finite"),
    (dict(weight_decay=-1), ValueError, r"^weight_decay must be >= 0"),
    (dict(clip=0), ValueError, r"^clip must be > 0"),
    (dict(lr="0.1"), TypeError, r"^lr must be a number"),
    (dict(nesterov="yes"), TypeError, r"^nesterov must be True or False"),
])
def test_bad_hyperparameters_are_named(kw, exc, match):
    """Each refused hyperparameter is named alone in its error (a beta out of range
    named both betas, leaving the reader to tell which)."""
    with pytest.raises(exc, match=match):
        Optimizer("adam", **kw)


def test_warm_start_refit_after_divergence_starts_from_finite_state(rng):
    """The estimators carry the Optimizer's state into warm_start refits: after a refit
    whose update overflowed a weight, the velocity is that of the weights kept (it was
    left infinite, and the next refit diverged at any learning rate)."""
    import warnings
    pytest.importorskip("sklearn")      # (its first import, ~1 s, is the only slow part)
    from fastmlp.estimators import EstimatorDivergenceError, FastMLPRegressor
    X = rng.standard_normal((16, 4))
    y = rng.standard_normal(16) * 1e3
    reg = FastMLPRegressor(hidden_layer_sizes=(5,), solver="sgd", momentum=0.9,
                           batch_size=16, learning_rate_init=1e-4, dtype="float32",
                           max_iter=2, warm_start=True, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reg.fit(X, y)
        velocity = reg._optimizer.state1.copy()
        with pytest.raises(EstimatorDivergenceError):
            reg.set_params(learning_rate_init=1e37).fit(X, y)
        np.testing.assert_array_equal(reg._optimizer.state1, velocity)
        reg.set_params(learning_rate_init=1e-4).fit(X, y)
    assert np.isfinite(reg.loss_)


@pytest.mark.parametrize("optimizer,kwargs,named", [
    ("sgd", dict(nesterov=True), "nesterov"),
    ("sgd", dict(momentum=0.5, beta1=0.8), "momentum, beta1"),
    ("momentum", dict(eps=1e-6), "eps"),
    ("adam", dict(momentum=0.5, nesterov=True), "momentum, nesterov"),
])
def test_settings_the_rule_does_not_use_are_a_warning(optimizer, kwargs, named, rng):
    """train() says so once, in its own terms; an Optimizer built with such settings
    says so too, pointing at the line that built it (Optimizer("sgd", nesterov=True)
    was silent)."""
    X, y = problem(rng)
    net = fastmlp.MLP([5, 4, 3], seed=0)
    with pytest.warns(UserWarning) as record:
        fastmlp.train(net, X, y, optimizer=optimizer, **kwargs)
    assert [str(w.message) for w in record] == [
        f"optimizer='{optimizer}' does not use {named}: ignored"]
    with pytest.warns(UserWarning) as record:
        opt = Optimizer(optimizer, **kwargs)
    assert [str(w.message) for w in record] == [
        f"Optimizer('{optimizer}') does not use {named}: ignored"]
    assert record[0].filename == __file__
    for k, v in kwargs.items():             # (kept as given, as before)
        assert getattr(opt, k) == v


@pytest.mark.parametrize("optimizer,kwargs,message", [
    ("adam", dict(decoupled_weight_decay=True),
     r"decoupled_weight_decay=True does nothing with weight_decay=0 \(there is no decay "
     r"to decouple\): ignored"),
    ("sgd", dict(decoupled_weight_decay=True, weight_decay=0.0), "decoupled_weight_decay"),
    ("momentum", dict(momentum=0, nesterov=True),
     r"nesterov=True does nothing with momentum=0 \(its look-ahead momentum \* v is 0: "
     r"plain SGD steps\): ignored"),
])
def test_settings_that_do_nothing_beside_another_are_a_warning(optimizer, kwargs, message,
                                                               rng):
    """decoupled_weight_decay=True without weight decay and Nesterov without momentum
    step as without them: said, by train() and by Optimizer (both were silent)."""
    X, y = problem(rng)
    with pytest.warns(UserWarning, match=message) as record:
        fastmlp.train(fastmlp.MLP([5, 4, 3], seed=0), X, y, optimizer=optimizer, **kwargs)
    assert len(record) == 1
    with pytest.warns(UserWarning, match=message) as record:
        Optimizer(optimizer, **kwargs)
    assert len(record) == 1 and record[0].filename == __file__


def test_settings_the_rule_uses_or_left_at_defaults_are_no_warning(rng, recwarn):
    X, y = problem(rng)
    for optimizer, kwargs in [("sgd", dict(weight_decay=1e-4, clip=1.0)),
                              ("momentum", dict(momentum=0.5, nesterov=True)),
                              ("adam", dict(beta1=0.8, beta2=0.99, eps=1e-6))]:
        fastmlp.train(fastmlp.MLP([5, 4, 3], seed=0), X, y, optimizer=optimizer, **kwargs)
        Optimizer(optimizer, **kwargs)
    assert not [w for w in recwarn if issubclass(w.category, UserWarning)]


@pytest.mark.parametrize("optimizer,kwargs", [
    ("sgd", dict(momentum=np.float32(0.9))),        # (not 0.9 exactly: its own precision)
    ("sgd", dict(momentum=np.float64(0.9), nesterov=np.False_)),
    ("sgd", dict(momentum=np.array(0.9, dtype=np.float32), nesterov=0)),
    ("momentum", dict(beta1=np.float32(0.9), beta2=np.float16(0.999),
                      eps=np.float32(1e-8))),
    ("adam", dict(momentum=np.longdouble(0.9), nesterov=np.array(False))),
])
def test_unused_settings_equal_to_the_default_in_another_type_are_no_warning(
        optimizer, kwargs, rng, recwarn):
    """A default given as a NumPy scalar, a 0-d array or an int is the default: numbers
    compare by value, a NumPy float in its own precision (Optimizer compared the value
    converted to a Python float, so that np.float32(0.9) warned)."""
    X, y = problem(rng)
    Optimizer(optimizer, **kwargs)
    fastmlp.train(fastmlp.MLP([5, 4, 3], seed=0), X, y, optimizer=optimizer, **kwargs)
    fastmlp.train(fastmlp.MLP([5, 4, 3], seed=0), X, y, optimizer=Optimizer(optimizer),
                  lr=np.float32(0.01), weight_decay=0, decoupled_weight_decay=np.False_,
                  **kwargs)
    assert not [w for w in recwarn if issubclass(w.category, UserWarning)]


@pytest.mark.parametrize("value", [np.float32(0.8), np.float64(0.91), 1, np.int64(0),
                                   np.array(0.5)])
def test_unused_settings_other_than_the_default_in_any_type_are_a_warning(value):
    with pytest.warns(UserWarning, match=r"Optimizer\('sgd'\) does not use momentum"):
        Optimizer("sgd", momentum=value)


def test_is_default_compares_numbers_by_value():
    from fastmlp.optim import is_default
    assert is_default(np.float32(0.9), 0.9) and is_default(0, 0.0)
    assert is_default(np.int64(0), 0.0) and is_default(np.False_, False)
    assert is_default(None, None) and is_default("sgd", "sgd")
    assert not is_default(np.float32(0.9), 0.91) and not is_default(np.int64(0), 0.9)
    assert not is_default(0.0, None) and not is_default(None, 0.0)
    assert not is_default(np.zeros(2), 0.0) and not is_default(10 ** 400, 0.9)


def test_estimators_ignore_unused_settings_silently_as_scikit_learn(rng, recwarn):
    """scikit-learn's MLPs ignore nesterovs_momentum, momentum and the betas where the
    solver does not use them (all are set by default): so do the estimators."""
    pytest.importorskip("sklearn")
    from fastmlp.estimators import FastMLPClassifier
    X, y = problem(rng)
    for solver, momentum in [("adam", 0.5), ("sgd", 0.0)]:
        # (sgd with momentum 0: nesterovs_momentum=True, the default, does nothing)
        FastMLPClassifier(hidden_layer_sizes=(4,), solver=solver, momentum=momentum,
                          beta_1=0.8, max_iter=2).fit(X, y)
    assert not [w for w in recwarn if "does not use" in str(w.message)
                or "does nothing" in str(w.message)]


def test_train_settings_beside_an_optimizer_instance_are_a_warning(rng):
    X, y = problem(rng)
    opt = Optimizer("momentum", lr=0.05)
    with pytest.warns(UserWarning, match="whose own settings apply: train\\(\\) ignores "
                                         "lr, momentum"):
        fastmlp.train(fastmlp.MLP([5, 4, 3], seed=0), X, y, optimizer=opt, lr=0.1,
                      momentum=0.5)


@pytest.mark.filterwarnings("ignore:optimizer's lr=.* is not used beside a callable")
@pytest.mark.parametrize("engine", ["loop", "numpy", "batch"])
def test_validation_divergence_rolls_the_optimizer_state_back_too(engine, rng):
    """Finite weights whose validation loss overflows send the net back to the epoch's
    start (the other path of the rollback): the momentum velocity goes back with it."""
    X = rng.standard_normal((20, 4))
    y = rng.standard_normal(20)
    net = fastmlp.MLP([4, 8, 1], output="identity", seed=0)
    opt = Optimizer("momentum", lr=1e-3)
    kw = dict(epochs=1, batch_size=None, loss="mse", engine=engine, optimizer=opt)
    fastmlp.train(net, X, y, **kw)
    p0, v0, t0 = net.params.copy(), opt.state1.copy(), opt.t
    with pytest.raises(fastmlp.DivergenceError, match="the validation loss"):
        fastmlp.train(net, X, y, lr_schedule=lambda e: 1.0, sample_weight=np.full(20, 1e30),
                      validation=(X, y), **kw)
    np.testing.assert_array_equal(net.params, p0)
    np.testing.assert_array_equal(opt.state1, v0)
    assert opt.t == t0


def test_state_of_another_layout_with_as_many_parameters_starts_afresh(rng):
    """An Optimizer that trained [2, 6, 1] went on with its moments and step count on
    [6, 3, 1], which has as many parameters (25): init_state tells nets apart by count
    and dtype only.  A net of the same layout still continues, and state assigned by
    hand that fits is kept."""
    a = fastmlp.MLP([2, 6, 1], output="sigmoid", seed=0)
    b = fastmlp.MLP([6, 3, 1], output="sigmoid", seed=0)
    assert a.n_params == b.n_params
    Xa, Xb, y = rng.random((50, 2)), rng.random((50, 6)), rng.integers(0, 2, 50)
    for name in ("momentum", "adam"):
        opt = fastmlp.Optimizer(name, lr=0.01)
        fastmlp.train(a.copy(), Xa, y, epochs=3, optimizer=opt, shuffle=False)
        b1, b2 = b.copy(), b.copy()
        fastmlp.train(b1, Xb, y, epochs=1, optimizer=opt, shuffle=False)
        fresh = fastmlp.Optimizer(name, lr=0.01)
        fastmlp.train(b2, Xb, y, epochs=1, optimizer=fresh, shuffle=False)
        assert b1 == b2 and opt.t == fresh.t
        np.testing.assert_array_equal(opt.state1, fresh.state1)
        # the same layout (another net of it) goes on
        fastmlp.train(b.copy(), Xb, y, epochs=1, optimizer=opt, shuffle=False)
        assert opt.t == 2 * fresh.t
        # state assigned by hand for a net is that net's
        opt.state1 = np.full(25, 0.5)
        opt.state2 = np.full(25, 0.25)
        opt.t = 7 if name == "adam" else 0
        fastmlp.train(fastmlp.MLP([2, 6, 1], output="sigmoid", dtype="float64", seed=0), Xa,
                      y, epochs=1, optimizer=opt, shuffle=False, batch_size=50)
        assert opt.t == (8 if name == "adam" else 0) and opt.state1[0] != 0


def test_pickled_optimizer_leaves_out_the_state_arrays_it_let_go(rng):
    """An Optimizer whose state was reset by hand (None) pickles and copies without the
    arrays train() had made, which its record of them (_state_layout) carried: a pickle
    twice the net's parameters for nothing.  One that holds them pickles them once, and
    goes on from them after it as train() made them."""
    a = fastmlp.MLP([2, 6, 1], output="sigmoid", seed=0)
    b = fastmlp.MLP([6, 3, 1], output="sigmoid", seed=0)     # (as many parameters)
    X, y = rng.random((50, 2)), rng.integers(0, 2, 50)
    opt = fastmlp.Optimizer("adam", lr=0.01)
    fastmlp.train(a, X, y, optimizer=opt)
    kept = pickle.loads(pickle.dumps(opt))
    assert kept._state_layout[1] is kept.state1 and kept._state_layout[2] is kept.state2
    fastmlp.train(b, rng.random((50, 6)), y, optimizer=kept)    # (another layout: afresh)
    assert kept.t == 2
    empty = len(pickle.dumps(fastmlp.Optimizer("adam", lr=0.01)))
    opt.state1 = opt.state2 = None
    for copied in (pickle.dumps(opt), copy.deepcopy(opt)):
        if isinstance(copied, bytes):
            assert len(copied) < empty + 100     # (the record: sizes, dtype)
            copied = pickle.loads(copied)
        assert copied._state_layout[1:] == (None, None)
        fastmlp.train(a, X, y, optimizer=copied)
        assert copied.t == 2


@pytest.mark.parametrize("engine", ["loop", "numpy", "batch"])
def test_momentum_velocity_restored_into_state1_alone_is_kept(engine, rng):
    """Momentum uses state1 only: its velocity put back by hand (a checkpoint's) into a
    new Optimizer's state1, state2 left None, was dropped for that missing array, and
    training went on from zero velocity without a word."""
    X, y = problem(rng)
    a = fastmlp.MLP([5, 6, 3], dtype="float64", seed=0)
    opt = Optimizer("momentum", lr=0.05)
    fastmlp.train(a, X, y, epochs=2, optimizer=opt, shuffle=False, engine=engine)
    b, velocity = a.copy(), opt.state1.copy()
    fastmlp.train(a, X, y, epochs=2, optimizer=opt, shuffle=False, engine=engine)
    restored = Optimizer("momentum", lr=0.05)
    restored.state1 = velocity
    fastmlp.train(b, X, y, epochs=2, optimizer=restored, shuffle=False, engine=engine)
    assert a == b
    np.testing.assert_array_equal(restored.state1, opt.state1)


@pytest.mark.parametrize("engine", ["loop", "numpy", "batch"])
def test_adam_eps_beyond_float32s_range_is_refused(engine, rng):
    """Adam's eps=1e39 is infinite in float32, where the rules compute: every step
    m1 / (sqrt(m2) + eps) was 0, and training changed nothing, with only NumPy's
    "overflow encountered in cast" RuntimeWarning to say so."""
    X, y = problem(rng)
    net = fastmlp.MLP([5, 4, 3], seed=0)
    before = net.params.copy()
    with warnings.catch_warnings():
        warnings.simplefilter("error")      # (and no RuntimeWarning from the check)
        with pytest.raises(ValueError, match=r"eps=1e\+39 is beyond the range of float32"):
            fastmlp.train(net, X, y, optimizer="adam", eps=1e39, engine=engine)
    np.testing.assert_array_equal(net.params, before)
    # float64 holds it (steps of about lr * g / eps: tiny, but what was asked for)
    net = fastmlp.MLP([5, 4, 3], seed=0, dtype="float64")
    fastmlp.train(net, X, y, optimizer="adam", eps=1e39, engine=engine)
    assert np.isfinite(net.params).all()


@pytest.mark.parametrize("engine", ["loop", "numpy", "batch"])
def test_lr_beside_a_callable_schedule_is_not_checked_against_decoupled_decay(engine, rng):
    """lr is unused beside a callable lr_schedule (train()'s docstring), yet the default
    lr=0.01 with decoupled weight_decay=200 was refused ("1 - lr * weight_decay = -1")
    where every rate the schedule gives (1e-3: a factor 0.8 per step) is fine.  The
    schedule's own rates are what is checked, as each epoch starts."""
    X, y = problem(rng, 16)
    net = fastmlp.MLP([5, 4, 3], dtype="float64", seed=0)
    W0 = net.weights[0].copy()
    dW, _ = fastmlp.gradients(net, X, y)
    fastmlp.train(net, X, y, epochs=1, batch_size=None, engine=engine, shuffle=False,
                  lr_schedule=lambda epoch: 1e-3, weight_decay=200.0,
                  decoupled_weight_decay=True)
    np.testing.assert_allclose(net.weights[0], (1 - 0.2) * W0 - 1e-3 * dW[0], rtol=1e-10)
    # a rate of the schedule's that would flip the weights' signs is still refused
    with pytest.raises(ValueError, match=r"lr=0.01 \(lr_schedule\(1\)\) with decoupled") as info:
        fastmlp.train(net, X, y, epochs=3, engine=engine, weight_decay=200.0,
                      lr_schedule=lambda epoch: 1e-3 if epoch < 1 else 0.01,
                      decoupled_weight_decay=True)
    assert len(info.value.history) == 1
    # a named schedule starts from lr: checked as before
    with pytest.raises(ValueError, match=r"lr=0.01 with decoupled weight_decay=200"):
        fastmlp.train(net, X, y, engine=engine, lr_schedule="cosine", weight_decay=200.0,
                      decoupled_weight_decay=True)


def test_best_epoch_with_tol_is_the_last_that_improved_by_more_than_tol(rng):
    """History.best_epoch said "the epoch with the best monitored loss", which with
    tol > 0 it need not be: the best is the last epoch whose loss fell more than tol
    below the best before it (Keras's min_delta), and restore_best restores that one's
    weights even where a later epoch's loss is lower by less than tol."""
    X, y = problem(rng)
    kw = dict(epochs=8, batch_size=None, lr=0.05, shuffle=False, validation=(X, y))
    plain = fastmlp.train(fastmlp.MLP([5, 7, 3], dtype="float64", seed=0), X, y, **kw)
    assert (np.diff(plain.val_loss) < 0).all()  # falling every epoch, in all by less
    tol = 1.01 * (plain.val_loss[0] - plain.val_loss[-1])   # than tol: epoch 0 the best
    net = fastmlp.MLP([5, 7, 3], dtype="float64", seed=0)
    hist = fastmlp.train(net, X, y, early_stopping=True, patience=3, tol=tol, **kw)
    assert hist.val_loss == plain.val_loss[:4] and hist.stopped_early
    assert hist.best_epoch == 0 and min(hist.val_loss) < hist.val_loss[0]
    first = fastmlp.MLP([5, 7, 3], dtype="float64", seed=0)
    fastmlp.train(first, X, y, **dict(kw, epochs=1))
    np.testing.assert_array_equal(net.params, first.params)
    # tol=0: the lowest loss
    net = fastmlp.MLP([5, 7, 3], dtype="float64", seed=0)
    hist = fastmlp.train(net, X, y, early_stopping=True, patience=3, **kw)
    assert hist.best_epoch == int(np.argmin(hist.val_loss)) == 7


def test_early_stopping_settings_without_early_stopping_are_a_warning(rng, recwarn):
    """train(patience=5) without early_stopping=True trained every epoch without a word
    (a Keras habit: its EarlyStopping(patience=...) is the switch itself), where the
    optimizer's unused settings and `fastmlp train --patience` are said."""
    X, y = problem(rng)
    for kw, named in ((dict(patience=3), "patience is"),
                      (dict(tol=0.1, restore_best=False), "tol, restore_best are")):
        with pytest.warns(UserWarning, match=f"^{named} used by early_stopping=True only: "
                                             f"ignored, every epoch is trained"):
            hist = fastmlp.train(fastmlp.MLP([5, 4, 3], seed=0), X, y, epochs=5, lr=1e-9,
                                 validation=(X, y), **kw)
        assert len(hist) == 5 and hist.best_epoch is None
    # the defaults, in any type, or with early stopping: no warning
    fastmlp.train(fastmlp.MLP([5, 4, 3], seed=0), X, y, epochs=2, patience=np.int64(10),
                  tol=0, restore_best=np.True_)
    fastmlp.train(fastmlp.MLP([5, 4, 3], seed=0), X, y, epochs=2, early_stopping=True,
                  validation=(X, y), patience=1, tol=0.5, restore_best=False)
    assert not [w for w in recwarn if issubclass(w.category, UserWarning)]


@pytest.mark.parametrize("engine", ["loop", "numpy", "batch"])
def test_sample_weight_weighs_the_reported_loss_not_the_accuracy(engine, rng):
    """History: with sample_weight the training loss is the mean of loss times weight
    over the samples (not over the weights' sum), the accuracy unweighted; the gradient
    the mean of gradient times weight (sgd's step: lr times it)."""
    X, y = problem(rng, 24)
    sw = np.where(np.arange(24) < 12, 0.0, 3.0)
    net = fastmlp.MLP([5, 7, 3], dtype="float64", seed=0)
    W0 = net.weights[0].copy()
    dW, _ = fastmlp.gradients(net, X, y, sample_weight=sw)
    hist = fastmlp.train(net, X, y, epochs=1, batch_size=None, lr=1e-3, shuffle=False,
                         engine=engine, sample_weight=sw)
    np.testing.assert_allclose(net.weights[0], W0 - 1e-3 * dW[0], rtol=1e-10)
    first = fastmlp.MLP([5, 7, 3], dtype="float64", seed=0)
    loss, acc = fastmlp.evaluate(first, X, y)                       # unweighted
    loss_kept, _ = fastmlp.evaluate(first, X[12:], y[12:])
    assert hist.train_loss[0] == pytest.approx(3.0 * loss_kept * 12 / 24, rel=1e-12)
    assert hist.train_acc[0] == pytest.approx(acc, rel=1e-12)


@pytest.mark.parametrize("nesterov", [False, True])
def test_momentum_velocity_carries_the_rate_across_a_schedule(nesterov, rng):
    """scikit-learn's form, v = momentum * v - lr * g (Nesterov: w += momentum * v -
    lr * g), as the Optimizer docstring says: where a schedule halves the rate, the
    velocity built so far keeps the old one; PyTorch's SGD (v = momentum * v + g,
    w -= lr * v) would step differently from the second epoch on."""
    X, y = problem(rng, 12)
    net = fastmlp.MLP([5, 4, 3], dtype="float64", seed=0)
    mu, rates = 0.8, [0.2, 0.1, 0.05]
    w, v, v_torch, w_torch = net.params.copy(), 0.0, 0.0, net.params.copy()
    probe = net.copy()

    def flat_gradient(at):          # (in the layout of net.params)
        dW, db = fastmlp.gradients(at, X, y)
        g = at.copy()
        for k in range(len(dW)):
            g.weights[k][...], g.biases[k][...] = dW[k], db[k]
        return g.params.copy()
    for lr in rates:
        probe.params[...] = w
        g = flat_gradient(probe)
        v = mu * v - lr * g
        w = w + (mu * v - lr * g if nesterov else v)
        probe.params[...] = w_torch
        g_t = flat_gradient(probe)
        v_torch = mu * v_torch + g_t
        w_torch = w_torch - lr * (g_t + mu * v_torch if nesterov else v_torch)
    fastmlp.train(net, X, y, epochs=3, batch_size=None, shuffle=False, optimizer="momentum",
                  momentum=mu, nesterov=nesterov, lr=0.2, lr_schedule="step",
                  schedule_options={"step_size": 1, "gamma": 0.5})
    np.testing.assert_allclose(net.params, w, rtol=1e-12, atol=1e-15)
    assert np.abs(net.params - w_torch).max() > 1e-4


def test_adam_eps_is_added_before_the_bias_correction(rng):
    """The Optimizer docstring: eps joins sqrt(m2) before the bias correction
    (scikit-learn's Adam), so it steps as PyTorch's eps / sqrt(1 - beta2**t) would; with
    a large eps the two placements part."""
    X, y = problem(rng, 12)
    net = fastmlp.MLP([5, 4, 3], dtype="float64", seed=0)
    lr, b1, b2, eps = 0.1, 0.9, 0.999, 0.05
    g_net = net.copy()
    dW, db = fastmlp.gradients(net, X, y)
    for k in range(len(dW)):
        g_net.weights[k][...], g_net.biases[k][...] = dW[k], db[k]
    g = g_net.params.copy()
    m1, m2 = (1 - b1) * g, (1 - b2) * g * g                 # the first step, t = 1
    here = net.params - lr * np.sqrt(1 - b2) / (1 - b1) * m1 / (np.sqrt(m2) + eps)
    torch_like = net.params - lr * (m1 / (1 - b1)) / (np.sqrt(m2 / (1 - b2)) + eps)
    torch_scaled = net.params - lr * (m1 / (1 - b1)) / (np.sqrt(m2 / (1 - b2))
                                                      + eps / np.sqrt(1 - b2))
    fastmlp.train(net, X, y, epochs=1, batch_size=None, shuffle=False, optimizer="adam",
                  lr=lr, eps=eps)
    np.testing.assert_allclose(net.params, here, rtol=1e-12)
    np.testing.assert_allclose(net.params, torch_scaled, rtol=1e-12)
    assert np.abs(net.params - torch_like).max() > 1e-3


# ------------------------------------------------------------------ PyTorch as an oracle
# The same net in torch.nn terms, trained by torch.optim on the same minibatches: every
# rule, weight decay (on the weights only: a parameter group of the biases without it),
# clipping, schedule and sample weight of train() against it, in float64 to 1e-10.  Where
# fastmlp differs from PyTorch on purpose the oracle is bent to fastmlp's form, as the
# Optimizer docstring states it: Adam's eps joins sqrt(m2) before the bias correction
# (PyTorch's eps / sqrt(1 - beta2**t)), the momentum velocity carries the rate across a
# schedule (PyTorch's buffer rescaled by old rate / new rate), clipping has no 1e-6 in
# the norm's denominator (clip_grad_norm_'s), and decoupled decay with SGD, which
# torch.optim.SGD lacks, shrinks the weights by 1 - lr * weight_decay before the step.

def torch_oracle(net, X, y, epochs, batch_size, lr, rule="sgd", momentum=0.9,
                 nesterov=False, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0,
                 decoupled=False, clip=None, schedule="constant", options=None,
                 sample_weight=None, loss="cross_entropy", orders=None):
    """The weights and biases (lists of arrays) after training a copy of `net` with
    PyTorch, each epoch on X[orders[epoch]] (default: in order)."""
    torch = pytest.importorskip("torch")
    threads = torch.get_num_threads()
    torch.set_num_threads(1)        # (its threads' spinning made each tiny step ~10 ms)
    try:
        return _torch_training(torch, net, X, y, epochs, batch_size, lr, rule, momentum,
                               nesterov, betas, eps, weight_decay, decoupled, clip,
                               schedule, options, sample_weight, loss, orders)
    finally:
        torch.set_num_threads(threads)


def _torch_training(torch, net, X, y, epochs, batch_size, lr, rule, momentum, nesterov,
                    betas, eps, weight_decay, decoupled, clip, schedule, options,
                    sample_weight, loss, orders):
    F = torch.nn.functional
    acts = {"identity": lambda z: z, "relu": torch.relu, "sigmoid": torch.sigmoid,
            "tanh": torch.tanh, "leaky_relu": lambda z: F.leaky_relu(z, 0.01)}
    dt = torch.float64 if net.dtype == np.float64 else torch.float32
    Ws = [torch.tensor(W, dtype=dt, requires_grad=True) for W in net.weights]
    bs = [torch.tensor(b, dtype=dt, requires_grad=True) for b in net.biases]
    coupled = 0.0 if decoupled and rule != "adam" else weight_decay
    groups = [dict(params=Ws, weight_decay=coupled), dict(params=bs, weight_decay=0.0)]
    if rule == "adam":
        opt = (torch.optim.AdamW if decoupled else torch.optim.Adam)(groups, lr=lr,
                                                                       betas=betas)
    else:
        opt = torch.optim.SGD(groups, lr=lr, momentum=momentum if rule == "momentum" else 0,
                              nesterov=nesterov)
    Xt, n, t = torch.tensor(np.asarray(X), dtype=dt), len(X), 0
    for epoch in range(epochs):
        rate = schedule_lr(schedule, lr, epoch, epochs, **(options or {}))
        for group in opt.param_groups:
            for p in group["params"] if rule == "momentum" else ():
                buf = opt.state.get(p, {}).get("momentum_buffer")
                if buf is not None:
                    buf.mul_(group["lr"] / rate)
            group["lr"] = rate
        order = np.arange(n) if orders is None else orders[epoch]
        step = len(order) if batch_size is None else batch_size
        for lo in range(0, len(order), step):
            idx = order[lo:lo + step]
            a = Xt[idx]
            for k, (W, b) in enumerate(zip(Ws, bs)):
                a = a @ W.T + b
                if k < len(Ws) - 1:
                    a = acts[net.activation[k]](a)
            target = torch.tensor(np.asarray(y)[idx])
            if net.output == "sigmoid" and target.ndim == 1 and a.shape[1] > 1:
                target = F.one_hot(target, a.shape[1])     # (label j: unit j)
            if net.output == "softmax":
                per = F.cross_entropy(a, target, reduction="none")
            elif loss == "cross_entropy":
                per = F.binary_cross_entropy_with_logits(
                    a, target.to(dt).reshape(a.shape), reduction="none").sum(1)
            else:
                per = 0.5 * ((acts[net.output](a) - target.to(dt).reshape(a.shape)) ** 2).sum(1)
            if sample_weight is not None:
                per = per * torch.tensor(sample_weight[idx], dtype=dt)
            opt.zero_grad()
            (per.sum() / len(idx)).backward()       # the mean over this minibatch
            with torch.no_grad():
                norm = math.sqrt(sum(float((p.grad ** 2).sum()) for p in Ws + bs))
                for p in Ws + bs if clip and norm > clip else ():
                    p.grad.mul_(clip / norm)
                for W in Ws if decoupled and rule != "adam" else ():
                    W.mul_(1 - rate * weight_decay)
            t += 1
            for group in opt.param_groups:
                group["eps"] = eps / math.sqrt(1 - betas[1] ** t)
            opt.step()
    return [W.detach().numpy() for W in Ws], [b.detach().numpy() for b in bs]


def assert_matches_oracle(net, oracle, rtol):
    Ws, bs = oracle
    for got, want in zip(list(net.weights) + list(net.biases), Ws + bs):
        np.testing.assert_allclose(got, want, rtol=0, atol=rtol * np.abs(want).max())


ORACLE_RULES = [
    dict(rule="sgd"),
    dict(rule="momentum", momentum=0.8),
    dict(rule="momentum", nesterov=True),
    dict(rule="adam", lr=0.01),
    dict(rule="adam", lr=0.01, betas=(0.5, 0.9), eps=1e-3, weight_decay=0.1),
    dict(rule="adam", lr=0.01, weight_decay=0.5, decoupled=True, clip=0.1),
    dict(rule="sgd", weight_decay=0.1, clip=0.05),
    dict(rule="momentum", weight_decay=0.5, decoupled=True),
    dict(rule="sgd", sample_weight=True, schedule="step", options=dict(step_size=1,
                                                                        gamma=0.5)),
    dict(rule="momentum", nesterov=True, schedule="cosine", options=dict(lr_min=0.01)),
    dict(rule="adam", lr=0.01, schedule="invscaling", options=dict(power=1.0)),
]


def _fastmlp_kwargs(spec, rng_weights):
    kw = dict(spec)
    name = kw.pop("rule")
    kw["optimizer"] = name
    if "betas" in kw:
        kw["beta1"], kw["beta2"] = kw.pop("betas")
    if "decoupled" in kw:
        kw["decoupled_weight_decay"] = kw.pop("decoupled")
    if "schedule" in kw:
        kw["lr_schedule"] = kw.pop("schedule")
    if "options" in kw:
        kw["schedule_options"] = kw.pop("options")
    if kw.pop("sample_weight", False):
        kw["sample_weight"] = rng_weights
    kw.setdefault("lr", 0.1)
    return kw


@pytest.mark.parametrize("spec", ORACLE_RULES,
                         ids=lambda s: "-".join(f"{k}={v}" for k, v in s.items()))
def test_rules_schedules_and_decay_match_pytorch(spec, rng):
    """Two epochs of 7 samples, in minibatches of 1, of 3 (the last one of 1) and the
    full batch, on every engine (and two deterministic threads): the weights of PyTorch's
    training to 1e-10 in float64, and loosely in float32."""
    X, y = problem(rng, 7)
    kw = _fastmlp_kwargs(spec, rng.random(7) * 2)
    for dtype, rtol in (("float64", 1e-10), ("float32", 1e-4)):
        start = fastmlp.MLP([5, 4, 3], activation="tanh", dtype=dtype, seed=1)
        for batch_size in (1, 3, None) if dtype == "float64" else (3,):
            oracle = torch_oracle(start, X.astype(dtype), y, 2, batch_size, **dict(
                spec, lr=kw["lr"], sample_weight=kw.get("sample_weight")))
            runs = [dict(engine=e) for e in ("loop", "numpy", "batch")]
            if batch_size == 3:
                runs.append(dict(engine="loop", threads=2, deterministic=True))
            for run in runs:
                net = start.copy()
                fastmlp.train(net, X.astype(dtype), y, epochs=2, batch_size=batch_size,
                              shuffle=False, **kw, **run)
                assert_matches_oracle(net, oracle, rtol)


@pytest.mark.parametrize("output, loss, target, activation", [
    ("softmax", "cross_entropy", "labels", ["relu", "sigmoid"]),
    ("sigmoid", "cross_entropy", "labels", ["tanh", "leaky_relu"]),
    ("sigmoid", "cross_entropy", "multilabel", ["identity", "relu"]),
    ("identity", "mse", "values", ["sigmoid", "tanh"]),
    ("tanh", "mse", "values", ["leaky_relu", "identity"]),
    ("sigmoid", "mse", "values", ["relu", "tanh"])])
def test_outputs_and_losses_match_pytorch(output, loss, target, activation, rng):
    """A 6-8-8-2 net of each output and loss (every hidden activation among them),
    trained on shuffled orders (the second epoch 20 of 13 samples drawn with
    replacement) with Adam in minibatches of 5: softmax is PyTorch's cross_entropy, a
    sigmoid output binary_cross_entropy_with_logits summed over the units (labels: one
    unit each), mse half the squared error summed over the outputs, each averaged over
    the minibatch."""
    X = rng.standard_normal((13, 6))
    y = {"labels": rng.integers(0, 2, 13), "multilabel": rng.integers(0, 2, (13, 2)),
         "values": rng.random((13, 2))}[target]
    orders = [rng.permutation(13), rng.integers(0, 13, 20)]
    start = fastmlp.MLP([6, 8, 8, 2], activation=activation, output=output, seed=3,
                        dtype="float64")
    net = start.copy()
    fastmlp.train(net, X, y, epochs=2, batch_size=5, loss=loss, optimizer="adam", lr=0.01,
                  sampler=lambda epoch: orders[epoch])
    assert_matches_oracle(net, torch_oracle(start, X, y, 2, 5, 0.01, rule="adam",
                                            loss=loss, orders=orders), 1e-10)


def test_clipping_is_clip_grad_norm_but_for_its_1e_6(rng):
    """clip is torch.nn.utils.clip_grad_norm_ over all the parameters, whose 1e-6
    beside the norm clips to a norm a hair below clip: a step apart by about 1e-6 / norm
    of itself, as the Optimizer docstring says (Adam's eps and the momentum velocity
    across a schedule: test_adam_eps_is_added_before_the_bias_correction and
    test_momentum_velocity_carries_the_rate_across_a_schedule)."""
    torch = pytest.importorskip("torch")
    X, y = problem(rng, 8)
    start = fastmlp.MLP([5, 4, 3], dtype="float64", seed=1)
    net = start.copy()
    fastmlp.train(net, X, y, epochs=1, batch_size=None, optimizer="sgd", lr=0.1,
                  clip=0.05)
    W, b = (torch.tensor(a, requires_grad=True) for a in (start.weights[0], start.biases[0]))
    W2, b2 = (torch.tensor(a, requires_grad=True)
              for a in (start.weights[1], start.biases[1]))
    z = torch.relu(torch.tensor(X) @ W.T + b) @ W2.T + b2
    torch.nn.functional.cross_entropy(z, torch.tensor(y)).backward()
    norm = torch.nn.utils.clip_grad_norm_([W, b, W2, b2], 0.05)
    assert norm > 0.05          # (it clipped)
    with torch.no_grad():
        W.sub_(0.1 * W.grad)
    gap = np.abs(net.weights[0] - W.detach().numpy()).max()
    assert 0 < gap < 1e-6       # 1e-6 / norm of the step, relative


def test_model_files_hold_every_setting_of_the_optimizer():
    """A model file saved with an Optimizer holds every argument of Optimizer() (a new
    hyperparameter left out of fastmlp.io's settings would come back as its default
    from load_optimizer, silently), and every read-only attribute that keeps one."""
    import inspect
    from fastmlp import io
    args = [p for p in inspect.signature(Optimizer.__init__).parameters if p != "self"]
    assert list(io.OPTIMIZER_SETTINGS) == args
    opt = Optimizer("adam", lr=0.5, beta1=0.5, eps=1e-3, weight_decay=0.1,
                    decoupled_weight_decay=True, clip=2.0)
    settings = io._optimizer_settings(opt)
    assert set(settings) == set(args)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with fastmlp.optim.quiet_about_unused():
            back = Optimizer(**settings)
    assert all(getattr(back, h) == getattr(opt, h) for h in Optimizer._HYPER)
    # (and its repr shows them, every setting other than its default: a loaded Adam
    # with weight decay and clip printed as "Optimizer('adam', lr=0.5)", as a plain one)
    assert repr(back) == repr(opt) == (
        "Optimizer('adam', lr=0.5, beta1=0.5, eps=0.001, weight_decay=0.1, "
        "decoupled_weight_decay=True, clip=2.0)")
    assert repr(Optimizer("momentum", momentum=0.9)) == "Optimizer('momentum', lr=0.01)"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: "-".join(f"{k}={v}" for k, v in r.items()))
def test_an_optimizer_saved_with_the_net_trains_on_as_it_would_have(rule, rng, tmp_path):
    """Every rule's settings (weight decay, decoupled or not, clip, Nesterov) and state
    come back from a model file: a step after loading equals the step the saved
    Optimizer takes."""
    kw = {k: v for k, v in rule.items() if k != "optimizer"}
    X, y = problem(rng, 16)
    net, opt = fastmlp.MLP([5, 4, 3], seed=0), Optimizer(rule["optimizer"], lr=0.05, **kw)
    fastmlp.train(net, X, y, epochs=2, batch_size=8, optimizer=opt, shuffle=False)
    path = net.save(tmp_path / "m.npz", optimizer=opt)
    again, back = fastmlp.load(path), fastmlp.load_optimizer(path)
    for n, o in ((net, opt), (again, back)):
        fastmlp.train(n, X, y, epochs=1, batch_size=8, optimizer=o, shuffle=False)
    np.testing.assert_array_equal(again.params, net.params)
    assert back.t == opt.t


@pytest.mark.parametrize("name, says", [
    ("adam", "optimizer.t (Adam's step count) must be >= 0, got -1"),
    ("momentum", "optimizer.t (the step count, which momentum does not use: it leaves it "
                 "at 0) must be >= 0, got -1"),
    ("sgd", "optimizer.t (the step count, which sgd does not use: it leaves it at 0) "
            "must be >= 0, got -1")])
def test_a_bad_step_count_is_named_for_the_rule_at_hand(name, says, tmp_path):
    """A step count t < 0 assigned by hand is refused by train() and save() naming what
    t is for the rule at hand: it said "Adam's step count" for momentum and sgd too,
    which never count steps."""
    X, y = np.zeros((4, 2)), np.arange(4) % 2
    net, opt = fastmlp.MLP([2, 2], seed=0), Optimizer(name)
    fastmlp.train(net, X, y, epochs=1, optimizer=opt)   # (state without which t is reset)
    opt.t = -1
    with pytest.raises(ValueError) as info:
        fastmlp.train(net, X, y, epochs=1, optimizer=opt)
    assert str(info.value) == says
    if name != "sgd":           # (sgd keeps no state: save() writes its settings alone)
        with pytest.raises(ValueError) as info:
            net.save(tmp_path / "m.npz", optimizer=opt)
        assert str(info.value) == says


def test_schedule_lr_refuses_what_no_schedule_means():
    """schedule_lr, which train()'s docs and the README have users call from their own
    function (``lambda e: schedule_lr("cosine", 0.1, e + done, total)``), took any
    numbers: epoch -1 of "step" was 10 times lr, step_size=0 a ZeroDivisionError, and a
    cosine asked past its `epochs` (a `total` too small) rose again towards lr, all
    without a word.  Each is refused, naming the argument; epoch == epochs, where the
    cosine ends at lr_min, is still its value."""
    for bad, match in [(dict(epoch=-1), r"^epoch must be >= 0, got -1"),
                       (dict(epoch=1.5), r"^epoch must be an integer, got 1.5"),
                       (dict(lr=0.0), r"^lr must be > 0, got 0.0"),
                       (dict(step_size=0), r"^step_size must be >= 1, got 0"),
                       (dict(gamma=-0.5), r"^gamma must be > 0, got -0.5")]:
        args = {**dict(schedule="step", lr=0.1, epoch=3, epochs=10), **bad}
        with pytest.raises((ValueError, TypeError), match=match):
            schedule_lr(**args)
    with pytest.raises(ValueError, match=r"^power must be >= 0, got -1"):
        schedule_lr("invscaling", 0.1, 3, 10, power=-1)
    with pytest.raises(ValueError, match=r"^lr_min must be below lr=0.1, got 0.2"):
        schedule_lr("cosine", 0.1, 3, 10, lr_min=0.2)
    with pytest.raises(ValueError, match=r"^epochs must be >= 1, got 0"):
        schedule_lr("cosine", 0.1, 0, 0)
    with pytest.raises(ValueError, match=r"^epoch=6 is past the cosine schedule's "
                                         r"epochs=5, .*rise again"):
        schedule_lr("cosine", 0.1, 6, 5)
    assert schedule_lr("cosine", 0.1, 5, 5) == 0.0
    assert schedule_lr("cosine", 0.1, 5, 5, lr_min=0.01) == pytest.approx(0.01)
    # (the options a schedule does not use are not its concern, as before)
    assert schedule_lr("constant", 0.1, 3, 0, step_size=0, lr_min=5) == 0.1
    assert schedule_lr(lambda e: 0.5, 0.1, np.int64(2), 10) == 0.5


def test_a_cosine_total_one_short_is_told_so(rng):
    """A callable schedule whose cosine total is one short (epochs=3 of
    schedule_lr("cosine", 0.1, e + 2, 4)) reaches the cosine's end, lr_min, in the last
    epoch: with lr_min=0 it stopped with "lr_schedule(epoch) must be > 0, got 0.0", which
    did not point at the total; with lr_min > 0 it trained silently.  Both now name the
    cosine and the total to pass; a right total says nothing, and schedule_lr at
    epoch == epochs called directly is lr_min as documented."""
    X, y = problem(rng)
    net = fastmlp.MLP([5, 7, 3], seed=0)
    with pytest.raises(ValueError, match=re.escape(
            "lr_schedule(2) must be > 0, got 0.0: it is schedule_lr('cosine', 0.1, 4, 4), "
            "the cosine's end (epoch == epochs), where its rate is lr_min=0: ")) as info:
        fastmlp.train(net, X, y, epochs=3,
                      lr_schedule=lambda e: schedule_lr("cosine", 0.1, e + 2, 4))
    assert str(info.value).endswith("it is 1 short for this run of 3 epochs: pass 5")
    assert len(info.value.history) == 2
    with pytest.warns(UserWarning, match=re.escape(
            "lr_schedule(2) is schedule_lr('cosine', 0.1, 4, 4), the cosine's end (epoch "
            "== epochs), where its rate is lr_min=0.01: ")) as record:
        hist = fastmlp.train(net, X, y, epochs=3, lr_schedule=lambda e: schedule_lr(
            "cosine", 0.1, e + 2, 4, lr_min=0.01))
    assert len([w for w in record if "cosine" in str(w.message)]) == 1
    assert hist.lr[-1] == pytest.approx(0.01)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fastmlp.train(net, X, y, epochs=3,
                      lr_schedule=lambda e: schedule_lr("cosine", 0.1, e + 2, 5))
    assert schedule_lr("cosine", 0.1, 4, 4) == 0.0      # (documented: lr_min there)


def test_a_cosine_end_a_schedule_only_looks_at_is_no_short_total(rng):
    """A callable schedule that asks schedule_lr for the cosine's end without training at
    it (logging the next epoch's rate, or a floor above it) was told its total was one
    short, with lr_min=0 too, where the rate it trained at was no 0: only a rate that is
    the end's, lr_min, is told so."""
    X, y = problem(rng)
    net = fastmlp.MLP([5, 7, 3], seed=0)
    logged = []

    def logging_next(e):
        logged.append(schedule_lr("cosine", 0.1, e + 1, 3, lr_min=0.01))
        return schedule_lr("cosine", 0.1, e, 3, lr_min=0.01)

    for schedule in (logging_next,
                     lambda e: max(schedule_lr("cosine", 0.1, e + 1, 3), 0.001)):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            fastmlp.train(net, X, y, epochs=3, lr_schedule=schedule)
    assert logged[-1] == pytest.approx(0.01)


def test_epochs_0_leaves_an_optimizers_state_alone(rng):
    """train(epochs=0) trains nothing, after checking the arguments: given an Optimizer
    whose state train() made for another net (another layout or dtype), it still set
    that state to zeros for this one, step count 0, so that the next call on the first
    net went on from nothing.  The state is checked (refused as before) and left as it
    was."""
    X, y = problem(rng)
    opt = Optimizer("adam")
    a = fastmlp.MLP([5, 7, 3], seed=0)
    fastmlp.train(a, X, y, epochs=2, optimizer=opt)
    t, m1, m2 = opt.t, opt.state1.copy(), opt.state2.copy()
    for other in (fastmlp.MLP([5, 4, 3], seed=0), fastmlp.MLP([5, 7, 3], dtype="float64")):
        assert fastmlp.train(other, X, y, epochs=0, optimizer=opt).as_dict() == \
            fastmlp.History().as_dict()
        assert opt.t == t and np.array_equal(opt.state1, m1) and \
            np.array_equal(opt.state2, m2) and opt.state1.dtype == np.float32
    # and the next call on the first net goes on from it, as without the epochs=0 call
    b, twin = a.copy(), copy.deepcopy(opt)
    fastmlp.train(a, X, y, epochs=1, optimizer=opt, shuffle=False)
    fastmlp.train(b, X, y, epochs=1, optimizer=twin, shuffle=False)
    assert a == b and opt.t == twin.t
    opt.state2 = -np.ones(a.n_params)       # (still checked)
    with pytest.raises(ValueError, match="negative"):
        fastmlp.train(a, X, y, epochs=0, optimizer=opt)
