"""The PyTorch baseline of the comparison table and the sweeps: the same net, initial
weights and minibatch SGD as the other rows (PyTorch is imported when called)."""


def torch_model(sizes, Ws, bs):
    """A torch.nn.Sequential of Linear layers with ReLU between them, of the dtype of Ws,
    starting from the weights Ws, bs (NumPy, W[k].shape == (n_out, n_in)): the same
    initial weights as the other rows instead of PyTorch's default initialisation (about
    2.4x smaller weights than Kaiming's and random biases)."""
    import torch
    layers = []
    for k, (W, b) in enumerate(zip(Ws, bs)):
        lin = torch.nn.Linear(sizes[k], sizes[k + 1], dtype=torch.from_numpy(W).dtype)
        with torch.no_grad():
            lin.weight.copy_(torch.from_numpy(W))
            lin.bias.copy_(torch.from_numpy(b))
        layers += [lin, torch.nn.ReLU()] if k < len(Ws) - 1 else [lin]
    return torch.nn.Sequential(*layers)


def torch_epoch(model, batches, lr=0.01, step="optim"):
    """One epoch of plain minibatch SGD on batches, a list of (X, y) tensors; mean
    cross-entropy per minibatch, so the step is lr/m times the summed gradient.
    step="optim": torch.optim.SGD (fused step), the usual way; step="manual": the update
    written out, p -= lr * p.grad under no_grad (as PyTorch's tutorials write it before
    they bring in torch.optim), the same arithmetic without the optimizer's Python work
    per step (its step() and zero_grad() took about 75 us a minibatch on the 2-core
    development machine, some 20 % of the seed configuration's epoch)."""
    import torch
    if step == "manual":
        params = list(model.parameters())
        for xb, yb in batches:
            torch.nn.functional.cross_entropy(model(xb), yb).backward()
            with torch.no_grad():
                for p in params:
                    p.add_(p.grad, alpha=-lr)
                    p.grad = None
        return model
    if step != "optim":
        raise ValueError(f"step must be 'optim' or 'manual', got {step!r}")
    opt = torch.optim.SGD(model.parameters(), lr=lr, fused=True)
    for xb, yb in batches:
        opt.zero_grad(set_to_none=True)
        torch.nn.functional.cross_entropy(model(xb), yb).backward()
        opt.step()
    return model
