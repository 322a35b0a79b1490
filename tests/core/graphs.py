"""Small graph factories shared by the core tests."""

from app.core.graph import Graph, Node


def chain(*layers: tuple[str, str, dict], input_shape=(1, 28, 28), dtype="float") -> Graph:
    """Input -> layers... -> Output, each layer given as (id, type, params)."""
    g = Graph()
    g.add_node(Node("inp", "Input", {"shape": tuple(input_shape), "dtype": dtype}))
    prev = "inp"
    for nid, type_name, params in layers:
        g.add_node(Node(nid, type_name, dict(params)))
        g.connect(prev, nid)
        prev = nid
    g.add_node(Node("out", "Output", {}))
    g.connect(prev, "out")
    return g


def lenet() -> Graph:
    return chain(
        ("conv1", "Conv2d", {"out_channels": 6, "kernel_size": 5, "padding": 2}),
        ("relu1", "ReLU", {}),
        ("pool1", "MaxPool2d", {"kernel_size": 2}),
        ("conv2", "Conv2d", {"out_channels": 16, "kernel_size": 5, "padding": 0}),
        ("relu2", "ReLU", {}),
        ("pool2", "MaxPool2d", {"kernel_size": 2}),
        ("flat", "Flatten", {}),
        ("fc1", "Linear", {"out_features": 120}),
        ("relu3", "ReLU", {}),
        ("fc2", "Linear", {"out_features": 84}),
        ("relu4", "ReLU", {}),
        ("fc3", "Linear", {"out_features": 10}),
    )


def residual() -> Graph:
    """stem conv -> [conv, relu, conv] + skip -> Add -> pool -> flatten -> linear."""
    g = chain(("stem", "Conv2d", {"out_channels": 8, "kernel_size": 3}),
              ("c1", "Conv2d", {"out_channels": 8, "kernel_size": 3}),
              ("r1", "ReLU", {}),
              ("c2", "Conv2d", {"out_channels": 8, "kernel_size": 3}),
              ("add", "Add", {}),
              ("gap", "AdaptiveAvgPool2d", {"output_size": 1}),
              ("flat", "Flatten", {}),
              ("fc", "Linear", {"out_features": 4}))
    g.connect("stem", "add")  # the skip connection
    return g
