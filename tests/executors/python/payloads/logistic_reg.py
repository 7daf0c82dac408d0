# ruff: noqa: F821 - teaclave_open is a builtin inside the sandbox
# Logistic regression in the style of Teaclave's mesapy_logistic_reg example (behaviour §9
# item 11), written for these tests: MesaPy's _numpypy names, teaclave_open and marshal.
# Train: min-max scale the features, zero-initialised weights, learning rate 0.05, 2000
# iterations; save {w, b} and {max, min} as marshal dumps. Predict: load both, scale, classify.
import marshal

import _numpypy as np


def read_rows(name):
    rows = []
    with teaclave_open(name, "rb") as reader:
        for line in reader:
            line = line.strip()
            if line:
                rows.append([float(field) for field in line.split(b",")])
    return np.multiarray.array(rows, dtype="float64")


def sigmoid(z):
    return 1 / (1 + np.umath.exp(-z))


def train(train_file, params_saved, scaler_saved):
    data = read_rows(train_file)
    feature, label = data[:, :-1], data[:, -1].reshape(1, -1)
    high, low = feature.max(0), feature.min(0)
    x = ((feature - low) / (high - low)).T
    w = np.multiarray.zeros((x.shape[0], 1))
    b = 0.0
    m = x.shape[1]
    for _ in range(2000):
        a = sigmoid(w.T.dot(x) + b)
        dz = a - label
        w = w - 0.05 * x.dot(dz.T) / m
        b = b - 0.05 * float(dz.sum()) / m
    with teaclave_open(params_saved, "wb") as writer:
        writer.write(marshal.dumps({"w": w.ravel().tolist(), "b": b}))
    with teaclave_open(scaler_saved, "wb") as writer:
        writer.write(marshal.dumps({"max": high.tolist(), "min": low.tolist()}))
    return "Training is finished!"


def predict(predict_file, params_saved, scaler_saved):
    with teaclave_open(params_saved, "rb") as reader:
        params = marshal.loads(reader.read())
    with teaclave_open(scaler_saved, "rb") as reader:
        scaler = marshal.loads(reader.read())
    high = np.multiarray.array(scaler["max"])
    low = np.multiarray.array(scaler["min"])
    x = ((read_rows(predict_file) - low) / (high - low)).T
    w = np.multiarray.array(params["w"])
    a = sigmoid(w.dot(x) + params["b"])
    return ",".join("1" if p > 0.5 else "0" for p in a)


def entrypoint(argv):
    args = dict(zip(argv[::2], argv[1::2], strict=True))
    if args["operation"] == "train":
        return train(args["train_file"], args["params_saved"], args["scaler_saved"])
    if args["operation"] == "predict":
        return predict(args["predict_file"], args["params_saved"], args["scaler_saved"])
    return "NOT supported argv"
