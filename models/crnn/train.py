"""Train the CRNN on synthetic lines with CTC loss; resumable, with progress logs.

    python -m models.crnn.train                 # one run with the defaults below
    python -m models.crnn.train --max-minutes 20   # stop early (checkpointed); rerun to resume
    make crnn                                   # the committed model's run, export, quantisation, evaluation

Everything lands in `--run-dir` (default `models/crnn/run/`, git-ignored): `checkpoint.pt`
(model, optimiser, schedule, step; written atomically every `--checkpoint-every` steps and on
exit), `train.log` (one line per `--log-every` steps: loss, lines/s, validation accuracy).
Rerunning the same command continues from the checkpoint; since a step's batch is a pure
function of (seed, step), a resumed run sees exactly the data an uninterrupted one would.
"""
from __future__ import annotations

import argparse
import json
import os
import time
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, Dataset

from models.crnn.charset import ctc_classes, load_charset
from models.crnn.data import TRAIN_STREAM, VALIDATION_STREAM, SyntheticLines
from models.crnn.metrics import line_accuracy
from models.crnn.model import CRNN
from ocr_ops.recognition import ctc_greedy_decode

DEFAULT_RUN_DIR = Path(__file__).with_name("run")


@dataclass
class TrainConfig:
    steps: int = 12000
    batch_size: int = 32
    lr: float = 2e-3
    hidden: int = 128
    seed: int = 0
    validation_lines: int = 256
    init_from: str = ""  # start from this checkpoint's weights (a new schedule: a second stage)
    frame_loss_weight: float = 1.0  # weight of the per-time-step guide loss (see `training_loss`)


class StepBatches(Dataset):
    """Batch `step` of the run, rendered in a worker process so the model never waits on Pillow.

    Lines are rendered `WIDTH_GROUP` batches at a time and batched by width (then the batches
    are shuffled), which halves the right-padding the CNN would otherwise compute on."""

    WIDTH_GROUP = 8

    def __init__(self, lines: SyntheticLines, config: TrainConfig):
        self.lines, self.config = lines, config

    def __len__(self) -> int:
        return self.config.steps

    @lru_cache(maxsize=1)
    def _group(self, group: int) -> list[list[int]]:
        size, seed = self.config.batch_size, self.config.seed
        samples = self.lines.lines(TRAIN_STREAM, seed, group * self.WIDTH_GROUP * size, self.WIDTH_GROUP * size)
        samples.sort(key=lambda sample: sample[0].shape[1])
        batches = [samples[i:i + size] for i in range(0, len(samples), size)]
        order = np.random.default_rng([TRAIN_STREAM, seed, group]).permutation(len(batches))
        return [batches[i] for i in order]

    def __getitem__(self, step: int):
        group, part = divmod(step, self.WIDTH_GROUP)
        images, labels, frames = self.lines.batch(self._group(group)[part])
        return (torch.from_numpy(images), [torch.tensor(label, dtype=torch.long) for label in labels],
                torch.from_numpy(frames))


def training_loss(model: CRNN, images: torch.Tensor, labels: list[torch.Tensor], frames: torch.Tensor,
                  frame_loss_weight: float) -> torch.Tensor:
    """CTC loss, plus (if weighted) cross-entropy against per-time-step targets: each character's
    class at the step under its rendered centre, blank elsewhere.

    The guide exists because we drew the lines and know where each character is. CTC alone must
    discover the alignment, and with thousands of rarely seen hanzi it sits on its all-blank
    plateau for a long time (the first model spent 1,200 of its 3,528 steps there). The guide
    asks for the same peaky output CTC converges to, so the two losses agree."""
    logits = model(images)  # N x T x C
    log_probs = logits.log_softmax(2).transpose(0, 1)  # T x N x C
    steps = torch.full((images.shape[0],), log_probs.shape[0], dtype=torch.long)
    lengths = torch.tensor([len(label) for label in labels], dtype=torch.long)
    loss = nn.functional.ctc_loss(log_probs, torch.cat(labels), steps, lengths, blank=0, zero_infinity=True)
    if frame_loss_weight:
        guide = nn.functional.cross_entropy(logits.flatten(0, 1), frames.flatten(), ignore_index=-1)
        loss = loss + frame_loss_weight * guide
    return loss


@torch.no_grad()
def validate(model: CRNN, lines: SyntheticLines, classes: list[str], samples) -> str:
    model.eval()
    predicted = []
    for i in range(0, len(samples), 64):
        images = lines.batch(samples[i:i + 64])[0]
        probs = model(torch.from_numpy(images)).softmax(2).numpy()
        predicted += [text for text, _ in ctc_greedy_decode(probs, classes)]
    model.train()
    return line_accuracy(predicted, [line.text for line in samples]).summary()


def save_atomically(state: dict, path: Path) -> None:
    partial = path.with_suffix(".partial")
    torch.save(state, partial)
    partial.replace(path)


def train(config: TrainConfig, run_dir: Path, max_minutes: float, stop_at: int, log_every: int,
          checkpoint_every: int, validate_every: int) -> Path:
    run_dir.mkdir(parents=True, exist_ok=True)
    checkpoint_path, log_path = run_dir / "checkpoint.pt", run_dir / "train.log"
    chars = load_charset()
    classes = ctc_classes(chars)
    lines = SyntheticLines(chars)
    torch.manual_seed(config.seed)  # the initial weights: the same run gives the same model
    model = CRNN(len(classes), hidden=config.hidden)
    optimiser = torch.optim.AdamW(model.parameters(), lr=config.lr, weight_decay=1e-4)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, max_lr=config.lr, total_steps=config.steps,
                                                   pct_start=0.05)
    step, trained_seconds = 0, 0.0
    if checkpoint_path.exists():
        state = torch.load(checkpoint_path, weights_only=False)
        if state["config"] != asdict(config):
            raise SystemExit(f"{checkpoint_path} was made with {state['config']}; use another --run-dir")
        model.load_state_dict(state["model"])
        optimiser.load_state_dict(state["optimiser"])
        schedule.load_state_dict(state["schedule"])
        step, trained_seconds = state["step"], state["trained_seconds"]
        print(f"resuming at step {step} ({trained_seconds / 60:.1f} min trained so far)", flush=True)
    elif config.init_from:
        model.load_state_dict(torch.load(config.init_from, weights_only=False)["model"])
        print(f"starting from the weights of {config.init_from}", flush=True)

    def checkpoint():
        save_atomically({"config": asdict(config), "model": model.state_dict(), "optimiser": optimiser.state_dict(),
                         "schedule": schedule.state_dict(), "step": step, "trained_seconds": trained_seconds,
                         "charset_size": len(chars)}, checkpoint_path)

    def log(record: dict):
        line = json.dumps(record, ensure_ascii=False)
        print(line, flush=True)
        with open(log_path, "a", encoding="utf-8") as f:
            f.write(line + "\n")

    if stop_at and step >= stop_at:
        print(f"already at step {step} (--stop-at {stop_at})", flush=True)
        return checkpoint_path
    validation = lines.lines(VALIDATION_STREAM, config.seed, 0, config.validation_lines)
    loader = DataLoader(StepBatches(lines, config), batch_size=None, num_workers=1,
                        sampler=range(step, config.steps), prefetch_factor=4, persistent_workers=False)
    model.train()
    deadline = time.monotonic() + max_minutes * 60
    window_loss, window_lines, window_start = 0.0, 0, time.monotonic()
    for images, labels, frames in loader:
        loss = training_loss(model, images, labels, frames, config.frame_loss_weight)
        optimiser.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        optimiser.step()
        schedule.step()
        step += 1
        window_loss += loss.item()
        window_lines += images.shape[0]
        if step % log_every == 0 or step == config.steps:
            elapsed = time.monotonic() - window_start
            trained_seconds += elapsed
            record = {"step": step, "loss": round(window_loss / (window_lines / config.batch_size), 4),
                      "lines_per_s": round(window_lines / elapsed, 1), "lr": round(schedule.get_last_lr()[0], 6),
                      "trained_min": round(trained_seconds / 60, 2)}
            if step % validate_every == 0 or step == config.steps:
                record["validation"] = validate(model, lines, classes, validation)
            log(record)
            window_loss, window_lines, window_start = 0.0, 0, time.monotonic()
        if step % checkpoint_every == 0 or step == config.steps:
            checkpoint()
        if time.monotonic() > deadline or step == stop_at:
            print(f"stopped at step {step} (--max-minutes or --stop-at); rerun without them to resume", flush=True)
            trained_seconds += time.monotonic() - window_start
            checkpoint()
            break
    return checkpoint_path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    defaults = TrainConfig()
    for name, value in asdict(defaults).items():
        parser.add_argument(f"--{name.replace('_', '-')}", type=type(value), default=value)
    parser.add_argument("--run-dir", type=Path, default=DEFAULT_RUN_DIR)
    parser.add_argument("--max-minutes", type=float, default=float("inf"), help="stop (checkpointed) after this")
    parser.add_argument("--stop-at", type=int, default=0, help="stop (checkpointed) at this step")
    parser.add_argument("--log-every", type=int, default=50)
    parser.add_argument("--checkpoint-every", type=int, default=200)
    parser.add_argument("--validate-every", type=int, default=500)
    parser.add_argument("--threads", type=int, default=int(os.environ.get("OMP_NUM_THREADS", "1")))
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    config = TrainConfig(**{name: getattr(args, name) for name in asdict(defaults)})
    train(config, args.run_dir, args.max_minutes, args.stop_at, args.log_every, args.checkpoint_every,
          args.validate_every)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
