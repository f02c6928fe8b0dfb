#!/usr/bin/python3
"""PyTorch CPU baseline for scripts/bench/train_bench.cpp: the same shapes and the same work per
minibatch (nn.GRU(batch_first) -> flatten -> nn.Linear, cross-entropy, Adam(eps=1e-7)), on one
thread. Prints one key=value line per shape, like train_bench.

    /usr/bin/python3 scripts/bench/pytorch_gru_bench.py [--shape classic|short|all] [--batches N]
"""
import argparse
import time

import torch

SHAPES = {
    # name: (batch, timesteps, inputs, hidden, classes, timed batches)
    "classic": (32, 2548, 1, 256, 3, 2),
    "short": (64, 28, 91, 128, 3, 50),
}


class Model(torch.nn.Module):
    def __init__(self, timesteps, inputs, hidden, classes):
        super().__init__()
        self.gru = torch.nn.GRU(inputs, hidden, batch_first=True)
        self.head = torch.nn.Linear(timesteps * hidden, classes)

    def forward(self, x):
        y, _ = self.gru(x)
        return self.head(y.reshape(y.shape[0], -1))


def gru_flop_per_sample(timesteps, inputs, hidden):
    # Same count as train_bench.cpp: forward 2*T*3H*(I+H), backward 2x forward.
    return 18.0 * timesteps * hidden * (inputs + hidden)


def run(name, batches_override):
    batch, timesteps, inputs, hidden, classes, batches = SHAPES[name]
    if batches_override:
        batches = batches_override
    torch.manual_seed(0)
    model = Model(timesteps, inputs, hidden, classes)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    loss_fn = torch.nn.CrossEntropyLoss()
    x = torch.randn(batches, batch, timesteps, inputs)
    y = torch.randint(0, classes, (batches, batch))

    def step(k):
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(x[k]), y[k])
        loss.backward()
        optimizer.step()
        return loss.item()

    step(0)  # warm-up
    start, cpu_start = time.perf_counter(), time.thread_time()
    for k in range(batches):
        loss = step(k)
    seconds, cpu_seconds = time.perf_counter() - start, time.thread_time() - cpu_start
    rows = batch * batches
    flop = gru_flop_per_sample(timesteps, inputs, hidden)
    print(f"shape={name} batch={batch} timesteps={timesteps} inputs={inputs} hidden={hidden} "
          f"layers=1 head=flatten batches={batches} ms_per_batch={1e3 * seconds / batches:.2f} "
          f"samples_per_s={rows / seconds:.2f} gflop_per_sample={flop * 1e-9:.4f} "
          f"gflops={flop * rows / seconds * 1e-9:.1f} cpu_ms_per_batch={1e3 * cpu_seconds / batches:.2f} "
          f"cpu_gflops={flop * rows / cpu_seconds * 1e-9:.1f} loss={loss:.4f}", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shape", default="all", choices=["all", *SHAPES])
    parser.add_argument("--batches", type=int, default=0)
    args = parser.parse_args()
    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
    for name in SHAPES:
        if args.shape in ("all", name):
            run(name, args.batches)


if __name__ == "__main__":
    main()
