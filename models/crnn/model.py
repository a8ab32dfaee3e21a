"""The CRNN: a small VGG-style CNN that collapses the 32 px height to one row (one time step
per 4 px of width), a 2-layer bidirectional LSTM over those steps, and a linear CTC head.

Shi, Bai and Yao, "An End-to-End Trainable Neural Network for Image-based Sequence Recognition"
(2015), scaled down (about 1.1 M weights besides the head) to train on a shared 2-core CPU in two hours.
"""
from __future__ import annotations

import torch
from torch import nn


def conv_block(cin: int, cout: int) -> list[nn.Module]:
    return [nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True)]


class CRNN(nn.Module):
    def __init__(self, num_classes: int, hidden: int = 128, channels=(16, 32, 64, 128, 256)):
        super().__init__()
        c1, c2, c3, c4, c5 = channels
        self.features = nn.Sequential(
            *conv_block(3, c1), nn.MaxPool2d(2, 2),                  # 16 x W/2
            *conv_block(c1, c2), nn.MaxPool2d(2, 2),                 # 8 x W/4
            *conv_block(c2, c3), *conv_block(c3, c3), nn.MaxPool2d((2, 1), (2, 1)),  # 4 x W/4
            *conv_block(c3, c4), *conv_block(c4, c4), nn.MaxPool2d((2, 1), (2, 1)),  # 2 x W/4
            nn.Conv2d(c4, c5, (2, 1), bias=False), nn.BatchNorm2d(c5), nn.ReLU(inplace=True),  # 1 x W/4
        )
        self.rnn = nn.LSTM(c5, hidden, num_layers=2, bidirectional=True, batch_first=True)
        self.head = nn.Linear(2 * hidden, num_classes)

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        """N x 3 x 32 x W -> N x T x C logits, T = W // 4."""
        features = self.features(images).squeeze(2).transpose(1, 2)  # N x T x c5
        sequence, _ = self.rnn(features)
        return self.head(sequence)


class SoftmaxOutput(nn.Module):
    """What the ONNX file computes: probabilities, as the service's greedy CTC decoder expects."""

    def __init__(self, crnn: CRNN):
        super().__init__()
        self.crnn = crnn

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return self.crnn(images).softmax(dim=2)
