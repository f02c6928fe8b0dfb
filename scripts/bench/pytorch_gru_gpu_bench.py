#!/usr/bin/env python3
"""PyTorch's cuDNN GRU at the same shape as gpu_bench (batch 32, 2548 steps x 1 input, hidden
256, flatten head, 1278 training rows, 3 classes, Adam with eps 1e-7), for comparison.

Strict FP32 by default (TF32 off for cuDNN and matmul), as eegsweep's default. Packed runs use
one Python thread per trial, each with its own CUDA stream, model and optimizer: the same
packing eegsweep does (PyTorch shares one cuDNN handle per thread/device; the GIL is released
inside CUDA calls).

    python3 scripts/bench/pytorch_gru_gpu_bench.py [--epochs 2] [--packs 1,4,16] [--tf32]

Prints a table and `RESULT engine=pytorch ...` lines like gpu_bench. Exits 0 with a message when
torch or a CUDA device is missing.
"""
import argparse
import sys
import threading
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--packs", default="1,4,16")
    parser.add_argument("--hidden", type=int, default=256)
    parser.add_argument("--timesteps", type=int, default=2548)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--rows", type=int, default=1278)
    parser.add_argument("--tf32", action="store_true")
    args = parser.parse_args()
    try:
        import torch
    except ImportError as e:
        print(f"pytorch_gru_gpu_bench: skipped, torch is not importable ({e})")
        return 0
    if not torch.cuda.is_available():
        print("pytorch_gru_gpu_bench: skipped, torch sees no CUDA device")
        return 0
    torch.backends.cudnn.allow_tf32 = args.tf32
    torch.backends.cuda.matmul.allow_tf32 = args.tf32
    device = torch.device("cuda:0")
    gen = torch.Generator().manual_seed(42)
    x_all = torch.randn(args.rows, args.timesteps, 1, generator=gen).to(device)
    y_all = (torch.arange(args.rows) % 3).to(device)

    class Model(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.gru = torch.nn.GRU(1, args.hidden, batch_first=True)
            self.head = torch.nn.Linear(args.timesteps * args.hidden, 3)

        def forward(self, x):
            y, _ = self.gru(x)
            return self.head(y.reshape(y.shape[0], -1))

    def make_trial(seed):
        torch.manual_seed(seed)
        model = Model().to(device)
        opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
        return model, opt

    def run_epoch(model, opt, epoch, seed):
        g = torch.Generator().manual_seed(seed * 1000 + epoch)
        order = torch.randperm(args.rows, generator=g).to(device)
        loss_fn = torch.nn.CrossEntropyLoss()
        total = torch.zeros((), device=device)
        for start in range(0, args.rows, args.batch):
            idx = order[start:start + args.batch]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(x_all[idx]), y_all[idx])
            loss.backward()
            opt.step()
            total += loss.detach() * idx.numel()
        return total  # read once per epoch, as eegsweep does

    def run_pack(k):
        trials = [make_trial(1000 + i) for i in range(k)]
        streams = [torch.cuda.Stream(device) for _ in range(k)]
        for i, (model, opt) in enumerate(trials):  # untimed warm-up epoch
            with torch.cuda.stream(streams[i]):
                run_epoch(model, opt, 0, i).item()
        torch.cuda.synchronize()
        errors = []

        def work(i):
            try:
                model, opt = trials[i]
                with torch.cuda.stream(streams[i]):
                    for e in range(1, args.epochs + 1):
                        run_epoch(model, opt, e, i).item()
            except Exception as ex:  # noqa: BLE001 - reported below
                errors.append(f"trial {i}: {ex}")

        threads = [threading.Thread(target=work, args=(i,)) for i in range(k)]
        start = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        torch.cuda.synchronize()
        wall = time.perf_counter() - start
        if errors:
            raise RuntimeError("; ".join(errors))
        return wall

    print(f"pytorch_gru_gpu_bench: torch {torch.__version__}, cuDNN {torch.backends.cudnn.version()}, "
          f"{torch.cuda.get_device_name(device)}, {'TF32' if args.tf32 else 'strict FP32'}")
    print(f"{'trainers':>8} {'wall s':>12} {'s per trial-epoch':>22} {'trial-epochs per hour':>22}")
    for k in [int(v) for v in args.packs.split(",")]:
        try:
            wall = run_pack(k)
        except RuntimeError as e:  # e.g. out of memory at 16 packed trials
            print(f"{k:>8} failed: {e}")
            continue
        n = k * args.epochs
        print(f"{k:>8} {wall:>12.2f} {wall / n:>22.3f} {n / wall * 3600:>22.1f}")
        print(f"RESULT engine=pytorch trainers={k} epochs={args.epochs} wall_s={wall:.3f} "
              f"s_per_trial_epoch={wall / n:.4f} trial_epochs_per_hour={n / wall * 3600:.1f}")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
