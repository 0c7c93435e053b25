"""The reference networks, as the study's sources define them.

DCGAN: the PyTorch DCGAN tutorial (nz=100, ngf=64, ndf=64, nc=3, 64x64).
Small CNN: CS230's SIGNS network (cs230-code-examples, pytorch/vision/model/net.py),
with its log_softmax left out: MedAug returns logits.
ResNet: torchvision's resnet18/34/50 with a fresh head for the class count.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Generator(nn.Module):
    def __init__(self, nz=100, ngf=64, nc=3):
        super().__init__()
        self.main = nn.Sequential(
            nn.ConvTranspose2d(nz, ngf * 8, 4, 1, 0, bias=False),
            nn.BatchNorm2d(ngf * 8),
            nn.ReLU(True),
            nn.ConvTranspose2d(ngf * 8, ngf * 4, 4, 2, 1, bias=False),
            nn.BatchNorm2d(ngf * 4),
            nn.ReLU(True),
            nn.ConvTranspose2d(ngf * 4, ngf * 2, 4, 2, 1, bias=False),
            nn.BatchNorm2d(ngf * 2),
            nn.ReLU(True),
            nn.ConvTranspose2d(ngf * 2, ngf, 4, 2, 1, bias=False),
            nn.BatchNorm2d(ngf),
            nn.ReLU(True),
            nn.ConvTranspose2d(ngf, nc, 4, 2, 1, bias=False),
            nn.Tanh(),
        )

    def forward(self, x):
        return self.main(x)


class Discriminator(nn.Module):
    def __init__(self, ndf=64, nc=3):
        super().__init__()
        self.main = nn.Sequential(
            nn.Conv2d(nc, ndf, 4, 2, 1, bias=False),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf, ndf * 2, 4, 2, 1, bias=False),
            nn.BatchNorm2d(ndf * 2),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf * 2, ndf * 4, 4, 2, 1, bias=False),
            nn.BatchNorm2d(ndf * 4),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf * 4, ndf * 8, 4, 2, 1, bias=False),
            nn.BatchNorm2d(ndf * 8),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf * 8, 1, 4, 1, 0, bias=False),
            nn.Sigmoid(),
        )

    def forward(self, x):
        return self.main(x).view(-1)


def weights_init(m):
    name = m.__class__.__name__
    if name.find("Conv") != -1:
        nn.init.normal_(m.weight.data, 0.0, 0.02)
    elif name.find("BatchNorm") != -1:
        nn.init.normal_(m.weight.data, 1.0, 0.02)
        nn.init.constant_(m.bias.data, 0)


class Net(nn.Module):
    def __init__(self, num_classes=2, num_channels=32, dropout_rate=0.8):
        super().__init__()
        c = num_channels
        self.num_channels = c
        self.conv1 = nn.Conv2d(3, c, 3, stride=1, padding=1)
        self.bn1 = nn.BatchNorm2d(c)
        self.conv2 = nn.Conv2d(c, c * 2, 3, stride=1, padding=1)
        self.bn2 = nn.BatchNorm2d(c * 2)
        self.conv3 = nn.Conv2d(c * 2, c * 4, 3, stride=1, padding=1)
        self.bn3 = nn.BatchNorm2d(c * 4)
        self.fc1 = nn.Linear(8 * 8 * c * 4, c * 4)
        self.fcbn1 = nn.BatchNorm1d(c * 4)
        self.fc2 = nn.Linear(c * 4, num_classes)
        self.dropout_rate = dropout_rate

    def forward(self, s):
        s = self.bn1(self.conv1(s))
        s = F.relu(F.max_pool2d(s, 2))
        s = self.bn2(self.conv2(s))
        s = F.relu(F.max_pool2d(s, 2))
        s = self.bn3(self.conv3(s))
        s = F.relu(F.max_pool2d(s, 2))
        s = s.view(-1, 8 * 8 * self.num_channels * 4)
        s = F.dropout(F.relu(self.fcbn1(self.fc1(s))), p=self.dropout_rate, training=self.training)
        return self.fc2(s)


def build(name, classes):
    if name == "dcgan-g":
        m = Generator()
        m.apply(weights_init)
        return m
    if name == "dcgan-d":
        m = Discriminator()
        m.apply(weights_init)
        return m
    if name == "simple-cnn":
        return Net(num_classes=classes, dropout_rate=0.0)
    import torchvision

    return getattr(torchvision.models, name)(num_classes=classes)


def example_input(name, batch):
    if name == "dcgan-g":
        return torch.randn(batch, 100, 1, 1)
    size = {"dcgan-d": 64, "simple-cnn": 64}.get(name, 112)
    return torch.randn(batch, 3, size, size)
