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


def torch_epoch(model, batches, lr=0.01):
    """One epoch of plain minibatch SGD (fused step) on batches, a list of (X, y) tensors;
    mean cross-entropy per minibatch, so the step is lr/m times the summed gradient."""
    import torch
    opt = torch.optim.SGD(model.parameters(), lr=lr, fused=True)
    for xb, yb in batches:
        opt.zero_grad(set_to_none=True)
        torch.nn.functional.cross_entropy(model(xb), yb).backward()
        opt.step()
    return model
