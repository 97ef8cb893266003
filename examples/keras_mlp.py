#!/usr/bin/env python3
"""Train a 64-32-softmax MLP on the digits with Keras 3 on the PyTorch backend (no TensorFlow), one trial per
iteration of hpo_client's loop (docs/python-client.md); examples/keras-digits.yaml tunes it.

Written for a persistent process (`persistent: true`: Keras and torch are imported and the data loaded once); it
also runs as one process per trial, unchanged. Install: `pip install keras torch ./clients/python` (the CPU torch
wheel: `pip install torch --index-url https://download.pytorch.org/whl/cpu`).

Parameters (from the space, else the command line's defaults): lr, batch_size, momentum, epochs, seed. Each trial
is seeded (`seed`, default 0). When hpo prunes or cancels a trial, `trial.should_stop()` turns true and training
stops after the current epoch; the last report ends the trial. Data: the digits embedded in hpo's sources, or
`--data digits.csv.gz` (64 pixel values then the label).
"""
import os

os.environ.setdefault("KERAS_BACKEND", "torch")   # before Keras is imported

import keras  # noqa: E402
import numpy as np  # noqa: E402

import digits_mlp  # noqa: E402
import hpo_client  # noqa: E402


class Reporter(keras.callbacks.Callback):
    """Reports each epoch's validation accuracy to the trial and stops training when hpo asks."""

    def __init__(self, trial):
        super().__init__()
        self.trial = trial
        self.best = 0.0
        self.last = None

    def on_epoch_end(self, epoch, logs=None):
        accuracy = float(logs["val_accuracy"])
        self.best, self.last = max(self.best, accuracy), accuracy
        self.trial.report(epoch + 1, accuracy, loss=float(logs["val_loss"]))
        if self.trial.should_stop():
            self.model.stop_training = True


def train(trial, data, defaults):
    run = digits_mlp.settings(trial.params, defaults)
    keras.backend.clear_session()   # a persistent process trains many models: drop the previous one's state
    keras.utils.set_random_seed(run.seed)
    x_train, y_train, x_valid, y_valid = data
    model = keras.Sequential([
        keras.Input(shape=(64,)),
        keras.layers.Dense(64, activation="relu"),
        keras.layers.Dense(32, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ])
    model.compile(
        optimizer=keras.optimizers.SGD(learning_rate=run.lr, momentum=run.momentum),
        loss=keras.losses.SparseCategoricalCrossentropy(), metrics=["accuracy"])
    reporter = Reporter(trial)
    model.fit(
        x_train, y_train, batch_size=run.batch_size, epochs=run.epochs, validation_data=(x_valid, y_valid),
        callbacks=[reporter], verbose=0)
    if not trial.should_stop():
        trial.finish(reporter.best, last_accuracy=reporter.last)


def main():
    defaults = digits_mlp.command_line(__doc__.split("\n")[0])
    x_train, y_train, x_valid, y_valid = digits_mlp.split(*digits_mlp.load(defaults.data))
    data = (np.array(x_train, "float32"), np.array(y_train), np.array(x_valid, "float32"), np.array(y_valid))

    for trial in hpo_client.trials():
        with trial:   # an exception fails this trial (with its traceback) and the next one still runs
            train(trial, data, defaults)


if __name__ == "__main__":
    main()
