"""Detector training and export (optional extra `train`: PyTorch). Nothing here runs at detection time."""
