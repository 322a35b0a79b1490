"""torchvision architectures imported with torch.fx are the real networks, layer for layer."""

import json

import pytest
import torch
from torch import nn

from app import cli
from app.core import fx_import
from app.core.builder import build
from app.core.fx_import import FxImportError, import_module, import_torchvision, real_shapes
from app.core.layout import layout_positions
from app.core.project_io import ProjectError, load, save
from app.core.shapes import infer

PARAMS = {"resnet18": 11_689_512, "vgg11": 132_863_336, "mobilenet_v3_small": 2_542_856,
          "alexnet": 61_100_840}


@pytest.fixture(scope="module")
def imported():
    return {name: import_torchvision(name) for name in PARAMS}


@pytest.mark.parametrize("name", PARAMS)
def test_parameter_count_and_every_shape_equal_torchvision(imported, name):
    imp = imported[name]
    report = infer(imp.graph)
    assert report.ok, report.issues
    torchvision_count = sum(p.numel() for p in fx_import.torchvision_model(name).parameters())
    assert report.total_params == imp.param_count == torchvision_count == PARAMS[name]
    real = real_shapes(imp)  # fx ShapeProp runs torchvision's own forward
    compared = 0
    for fx_name, shape in real.items():
        nid = imp.node_of[fx_name]
        assert report.out_shape(nid) == shape, (fx_name, nid)
        compared += 1
    assert compared >= len(imp.graph.nodes) - 1  # every layer (the Output only repeats the last)
    assert report.out_shape("logits") == (1000,)


def test_resnet18_blocks_become_groups(imported):
    imp = imported["resnet18"]
    assert imp.group_kinds == {f"layer{i}_{j}": "BasicBlock" for i in range(1, 5) for j in (0, 1)}
    members = sorted(n.id for n in imp.graph.nodes.values() if n.group == "layer2_0")
    assert members == sorted(["layer2_0_conv1", "layer2_0_bn1", "layer2_0_relu",
                              "layer2_0_conv2", "layer2_0_bn2", "layer2_0_downsample_0",
                              "layer2_0_downsample_1", "add_2", "layer2_0_relu_1"])
    # The skip connection is a real Add of the block's two branches.
    assert imp.graph.inputs_of("add_2") == ["layer2_0_bn2", "layer2_0_downsample_1"]
    assert not imp.graph.nodes["conv1"].group and not imp.graph.nodes["fc"].group
    assert set(imported["vgg11"].group_kinds) == {*(f"features_stage{i}" for i in range(1, 6)),
                                                  "classifier"}
    assert imported["mobilenet_v3_small"].group_kinds["features_4"] == "InvertedResidual"


@pytest.mark.parametrize("name", PARAMS)
def test_layout_gives_each_group_a_box_of_its_own(imported, name):
    """Folded groups are drawn over their layers: no box may cover another layer."""
    graph = imported[name].graph
    boxes: dict[str, list[float]] = {}
    for node in graph.nodes.values():
        key = node.group or node.id
        x, y = node.pos
        box = boxes.setdefault(key, [x, y, x, y])
        box[:] = [min(box[0], x), min(box[1], y), max(box[2], x), max(box[3], y)]
    items = list(boxes.values())
    for i, a in enumerate(items):
        for b in items[i + 1:]:
            apart = (a[2] + fx_import.NODE_W <= b[0] or b[2] + fx_import.NODE_W <= a[0]
                     or a[3] + fx_import.NODE_H <= b[1] or b[3] + fx_import.NODE_H <= a[1])
            assert apart, (a, b)
    # The editor's Auto-layout arranges grouped networks the same way.
    assert layout_positions(graph, (1280, 800), (fx_import.NODE_W, fx_import.NODE_H)) == {
        nid: node.pos for nid, node in graph.nodes.items()}


@pytest.mark.parametrize("name", ["resnet18", "mobilenet_v3_small"])
def test_canvas_model_computes_what_torchvision_computes(name):
    """With torchvision's weights copied in, the built canvas model gives the same outputs
    (skip connections, squeeze-and-excitation gates and BatchNorm statistics included)."""
    torch.manual_seed(0)
    source = fx_import.torchvision_model(name, num_classes=10, device="cpu")
    for m in source.modules():  # non-trivial statistics, so BatchNorm mistakes would show
        if isinstance(m, nn.BatchNorm2d):
            m.running_mean.uniform_(-0.5, 0.5)
            m.running_var.uniform_(0.5, 1.5)
    imp = import_module(source, (3, 64, 64))
    model = build(imp.graph, seed=1).eval()
    assert (sum(p.numel() for p in model.parameters())
            == sum(p.numel() for p in source.parameters()))
    assert fx_import.copy_weights(source, imp, model) > 0
    x = torch.randn(2, 3, 64, 64)
    with torch.no_grad():
        torch.testing.assert_close(model(x), source(x), atol=1e-5, rtol=1e-5)


def test_unknown_names_and_unsupported_layers_say_what_works():
    with pytest.raises(FxImportError, match="known: resnet18"):
        import_torchvision("resnet19")

    class Recurrent(nn.Module):
        def __init__(self):
            super().__init__()
            self.rnn = nn.GRUCell(4, 4)

        def forward(self, x):
            return self.rnn(x)

    with pytest.raises(FxImportError, match="'rnn' is a GRUCell.*supported: .*Conv2d"):
        import_module(Recurrent(), (4,))

    class Shifted(nn.Module):
        def forward(self, x):
            return x + 1

    with pytest.raises(FxImportError, match="constant"):
        import_module(Shifted(), (4,))


def test_cli_writes_a_project_that_check_calls_valid(tmp_path, capsys):
    out = tmp_path / "resnet18.json"
    assert cli.main(["import-torchvision", "resnet18", "-o", str(out)]) == 0
    assert "11,689,512 parameters" in capsys.readouterr().out
    project = load(out)
    assert sum(1 for n in project.graph.nodes.values() if n.group == "layer1_0") == 7
    assert cli.main(["check", str(out), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] and report["total_params"] == 11_689_512
    save(tmp_path / "again.json", project)  # groups survive a save and load
    assert load(tmp_path / "again.json").graph.to_dict() == project.graph.to_dict()
    data = json.loads(out.read_text())
    data["graph"]["nodes"][3]["group"] = 7
    (tmp_path / "bad.json").write_text(json.dumps(data))
    with pytest.raises(ProjectError, match=r"graph\.nodes\[3\]\.group: must be a group name"):
        load(tmp_path / "bad.json")

    assert cli.main(["import-torchvision", "resnet19", "-o", str(out)]) == 1
    assert "known: resnet18, resnet34" in capsys.readouterr().err
    assert cli.main(["import-torchvision", "alexnet", "--dataset", "mnist", "-o", str(out)]) == 1
    assert "square RGB images" in capsys.readouterr().err
