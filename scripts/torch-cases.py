#!/usr/bin/python3
"""
PyTorch differential cases for convserve: random VALID configurations of conv2d, conv_transpose2d
and every pool the API offers, with the corners drawn on purpose, each expected output computed by
PyTorch (CPU).

Run with Debian's interpreter, which has torch 1.13 and numpy:

    /usr/bin/python3 scripts/torch-cases.py test/fixtures/torch-random

Writes torch_random_conv.json, torch_random_pool.json and torch_random_conv_transpose.json in the
neutral format of the shared conformance set (/work/shared/conformance/README.md): a JSON array, one
case per line, attrs with PyTorch names and every value explicit, `padding` as [top, left, bottom,
right], `padding_spec` the original form, tolerance rtol = atol = 1e-4. conv_transpose2d cases add
`output_padding` [oh, ow]; their weight is (C_in, C_out/groups, kH, kW).

Case i is drawn from torch.manual_seed(50000 + i) alone (the shared set uses 1000 + i), so a case
can be regenerated on its own. conv and pool cases are numbered from 0, conv_transpose2d cases from
10000 (so their seeds start at 60000): a run of their own, so adding transposed cases moves no other
case, and the two older files come out byte for byte as before. Inputs: batch 1-2; channels mostly
1-3, up to 8 in and 12 out where a category needs more (depthwise, 1x1 kernels, groups, fuzz);
H/W 1-12, mostly 2-8 to keep the fixture small; values uniform in [-1, 1] rounded to 3 decimals
(a few categories use halves in [-1, 1] on purpose, to make ties; lp with odd p on torch's own
lp_pool2d uses [0, 1]).
Exploration beyond the fixture: --sizes full|wide --scale N --seed-base S writes a larger set.

How each output is computed:
- torch-native forms (int / [ph, pw] / 'same' at stride 1 / 'valid' padding, symmetric pool
  padding within PyTorch's pad <= k/2): nn.Conv2d (with its padding_mode), F.max_pool2d,
  F.avg_pool2d, F.lp_pool2d, F.adaptive_*_pool2d. The explicit construction below is computed as
  well and must agree (a self-check of the generator).
- what PyTorch cannot express directly (ONNX-style SAME_UPPER at stride > 1, SAME_LOWER,
  asymmetric per-side pads, pool pads above k/2 up to the dilated extent, avg/lp pooling with
  dilation, lp pooling with padding or ceil_mode, p not an integer, lp over signed input with
  odd p): explicit torch ops — F.pad (zeros / reflect / replicate / circular; -inf for max) and
  then F.conv2d / F.max_pool2d with no padding; avg and lp sums as a depthwise F.conv2d with a
  ones kernel (it takes dilation), their divisors from the same conv over 0/1 masks. ceil_mode
  is pre-padded at the end so the last window fits, and the result cropped to the ceil-mode
  output size (which drops a window that would start in the trailing padding). Such cases carry
  a `note` that says so.
- conv_transpose2d (batch 1-2, channels 1-3, groups 2-3 and depthwise with multiplier 1-2, H/W 1-9,
  kernel 1-5, stride 1-3, dilation 1-3, output_padding < max(stride, dilation), at most 1,600
  output elements to keep the fixture small): output cell o is
  cell o + pad_before of the full scatter result ((in - 1)·s + d·(k - 1) + 1 cells), zero plus
  bias past its end. int / [ph, pw] / 'valid' padding: nn.ConvTranspose2d itself. Per-side pads
  and 'same' (ONNX SAME_UPPER: output in·stride, total = full + output_padding - in·stride, the
  odd cell cropped at the bottom/right), which PyTorch cannot express: F.conv_transpose2d with
  padding 0 and output_padding 0, zero-extended at the bottom/right by output_padding, cropped by
  the pads, plus the bias. That construction is computed for every case, checked against
  nn.ConvTranspose2d wherever the pads are symmetric, and against a numpy float64 scatter loop
  (no torch kernels) always.
- lppool2d is (sum |x|^p)^(1/p) over the real cells (padding adds 0), as in ONNX LpPool and the
  API; torch's own lp_pool2d is used only where it equals that (no padding, no ceil_mode, and
  p even or the input non-negative).

Configurations the API rejects with a 4xx are never drawn (see api-v1.md): pool padding on a side
>= the dilated kernel extent (PADDING_TOO_LARGE), a kernel larger than the padded input
(KERNEL_TOO_LARGE), reflect padding >= the input or circular padding > the input
(PADDING_TOO_LARGE); for conv_transpose2d, groups not dividing the input channels,
output_padding >= max(stride, dilation), padding that crops the whole output, 'same' whose
scatter plus output_padding is shorter than in·stride. Draws whose expected output would hold
-inf or NaN (a dilated max / avg window that reads only padding: JSON numbers cannot carry them)
are redrawn; the core's answer for those windows is pinned by test/core/pool2d.test.ts.
"""
import json
import math
import os
import warnings

import numpy as np
import torch
import torch.nn.functional as F

SEED_BASE = 50000
# conv_transpose2d case i (i from 10000) uses torch.manual_seed(SEED_BASE + i): a run of seeds of
# its own, so adding transposed cases never moves a conv or pool case, and the reverse (main()
# refuses a --scale whose conv and pool cases would reach it)
TRANSPOSE_INDEX = 10000
TOL = {'rtol': 1e-4, 'atol': 1e-4}
MAX_TRIES = 2000

# Base sizes. `small` (the committed fixture) keeps the file under 1.5 MB; categories that need
# them still reach 6 channels and 12 rows/columns. `full` draws from the whole range of the shared
# set (batch 1-2, channels 1-6, H/W 1-12) for exploratory runs: --sizes full --scale 4.
SIZE_PROFILES = {
    'small': {'N': [1, 1, 2], 'C': (1, 3), 'conv_HW': (2, 8), 'pool_HW': (2, 8)},
    'full': {'N': [1, 2], 'C': (1, 6), 'conv_HW': (1, 12), 'pool_HW': (1, 12)},
    'wide': {'N': [1, 2, 3], 'C': (1, 9), 'conv_HW': (1, 20), 'pool_HW': (1, 20)},
}
SIZES = SIZE_PROFILES['small']

torch.set_num_threads(1)
# nn.Conv2d's note that padding='same' with an even kernel copies the input: expected, and not news
warnings.filterwarnings('ignore', message="Using padding='same'")


# ---------------------------------------------------------------------------------------------
# random draws, all from torch's generator (one seed per case)

def ri(a, b):
    """uniform integer in [a, b]"""
    return int(torch.randint(a, b + 1, (1,)).item())


def pick(seq):
    return seq[ri(0, len(seq) - 1)]


def coin(p=0.5):
    return float(torch.rand(1).item()) < p


def values(shape, kind='signed'):
    if kind == 'signed':
        return torch.round(torch.rand(shape) * 2 - 1, decimals=3)
    if kind == 'nonneg':
        return torch.round(torch.rand(shape), decimals=3)
    if kind == 'negative':
        return torch.round(-torch.rand(shape) * 0.999 - 0.001, decimals=3)
    if kind == 'ties':
        # small integers and halves: many equal values in a window
        return torch.randint(-2, 3, shape).float() / 2
    raise ValueError(kind)


# ---------------------------------------------------------------------------------------------
# geometry: the contract's formulas

def eff(k, d):
    return d * (k - 1) + 1


def axis_out(size, k, s, d, pb, pe, ceil):
    span = size + pb + pe - eff(k, d)
    if span < 0:
        return 0
    if not ceil:
        return span // s + 1
    out = -(-span // s) + 1
    if (out - 1) * s >= size + pb:
        out -= 1
    return out


def same_pads(size, k, s, d, upper=True):
    out = -(-size // s)
    total = max((out - 1) * s + eff(k, d) - size, 0)
    small = total // 2
    return (small, total - small) if upper else (total - small, small)


def resolve_pads(spec, H, W, kh, kw, sh, sw, dh, dw):
    """padding_spec → (top, left, bottom, right)"""
    if spec is None or spec == 'valid':
        return (0, 0, 0, 0)
    if spec in ('same', 'SAME_UPPER', 'SAME_LOWER'):
        upper = spec != 'SAME_LOWER'
        t, b = same_pads(H, kh, sh, dh, upper)
        l, r = same_pads(W, kw, sw, dw, upper)
        return (t, l, b, r)
    if isinstance(spec, int):
        return (spec, spec, spec, spec)
    if len(spec) == 2:
        return (spec[0], spec[1], spec[0], spec[1])
    return tuple(spec)


# ---------------------------------------------------------------------------------------------
# JSON

def f32(v):
    """the shortest decimal that round-trips to the same float32 (numpy's Dragon4); -0.0 → 0.0"""
    v = np.float32(v)
    if not np.isfinite(v):
        raise ValueError('non-finite value in a fixture tensor')
    if v == 0:
        return 0.0
    return float(repr(v).replace('np.float32(', '').rstrip(')'))


def tensor_json(t, dtype='float32'):
    t = t.detach().contiguous()
    if dtype == 'int64':
        data = [int(v) for v in t.reshape(-1).tolist()]
    else:
        data = [f32(v) for v in t.reshape(-1).numpy()]
    return {'shape': list(t.shape), 'dtype': dtype, 'data': data}


# ---------------------------------------------------------------------------------------------
# conv2d

def conv_explicit(x, w, b, pads, stride, dilation, groups, mode):
    t, l, bo, r = pads
    if mode == 'zeros':
        xp = F.pad(x, (l, r, t, bo))
    else:
        xp = F.pad(x, (l, r, t, bo), mode=mode)
    return F.conv2d(xp, w, b, stride, 0, dilation, groups)


def torch_conv_padding(spec):
    """the spec as nn.Conv2d takes it, or None when PyTorch has no such form"""
    if spec in ('same', 'valid'):
        return spec
    return torch_pair_padding(spec)


def torch_pair_padding(spec):
    """an int or an [ph, pw] pair, the forms both nn.Conv2d and F.conv_transpose2d take; else None"""
    if isinstance(spec, int):
        return spec
    if isinstance(spec, (list, tuple)) and len(spec) == 2:
        return tuple(spec)
    return None


def conv_valid(c):
    H, W = c['H'], c['W']
    t, l, b, r = c['pads']
    if H < 1 or W < 1:
        return False
    if c['Cin'] % c['groups'] or c['Cout'] % c['groups']:
        return False
    if eff(c['kh'], c['dh']) > H + t + b or eff(c['kw'], c['dw']) > W + l + r:
        return False
    if c['mode'] == 'reflect' and (max(t, b) >= H or max(l, r) >= W):
        return False
    if c['mode'] == 'circular' and (max(t, b) > H or max(l, r) > W):
        return False
    if c['spec'] == 'same' and (c['sh'], c['sw']) != (1, 1):
        return False
    return True


def make_conv(category, c, note=None, kind='signed'):
    x = values((c['N'], c['Cin'], c['H'], c['W']), kind)
    w = values((c['Cout'], c['Cin'] // c['groups'], c['kh'], c['kw']), kind)
    b = values((c['Cout'],)) if c['bias'] else None
    stride, dilation = (c['sh'], c['sw']), (c['dh'], c['dw'])
    y = conv_explicit(x, w, b, c['pads'], stride, dilation, c['groups'], c['mode'])
    tp = torch_conv_padding(c['spec'])
    if tp is not None:
        m = torch.nn.Conv2d(c['Cin'], c['Cout'], (c['kh'], c['kw']), stride, tp, dilation, c['groups'],
                            bias=b is not None, padding_mode=c['mode'])
        with torch.no_grad():
            m.weight.copy_(w)
            if b is not None:
                m.bias.copy_(b)
            native = m(x)
        assert native.shape == y.shape and torch.allclose(native, y, atol=1e-5), 'nn.Conv2d ≠ F.pad + F.conv2d'
        y = native
    else:
        how = 'F.pad(mode=%s) then F.conv2d with no padding' % ('constant' if c['mode'] == 'zeros' else c['mode'])
        note = f"{note}; {how}" if note else how
    oh = axis_out(c['H'], c['kh'], c['sh'], c['dh'], c['pads'][0], c['pads'][2], False)
    ow = axis_out(c['W'], c['kw'], c['sw'], c['dw'], c['pads'][1], c['pads'][3], False)
    assert tuple(y.shape) == (c['N'], c['Cout'], oh, ow), (tuple(y.shape), oh, ow)
    attrs = {
        'stride': [c['sh'], c['sw']], 'padding': list(c['pads']), 'padding_spec': c['spec'],
        'dilation': [c['dh'], c['dw']], 'groups': c['groups'], 'kernel_size': [c['kh'], c['kw']],
        'padding_mode': c['mode'],
    }
    return conv_case('conv2d', category, attrs, x, w, b, y, note)


def conv_case(op, category, attrs, x, w, b, y, note):
    """A conv2d or conv_transpose2d case: input, weight, the bias when there is one, the output."""
    inputs = {'input': tensor_json(x), 'weight': tensor_json(w)}
    if b is not None:
        inputs['bias'] = tensor_json(b)
    case = {'op': op, 'category': category, 'attrs': attrs, 'inputs': inputs,
            'outputs': {'output': tensor_json(y)}}
    if note:
        case['note'] = note
    return case


def conv_base():
    k = ri(1, 4)
    return {
        'N': pick(SIZES['N']), 'Cin': ri(*SIZES['C']), 'Cout': ri(*SIZES['C']), 'H': ri(*SIZES['conv_HW']), 'W': ri(*SIZES['conv_HW']),
        'kh': k, 'kw': k if coin(0.6) else ri(1, 4), 'sh': 1, 'sw': 1, 'dh': 1, 'dw': 1,
        'groups': 1, 'mode': 'zeros', 'spec': 0, 'bias': coin(),
    }


def with_pads(c):
    c['pads'] = resolve_pads(c['spec'], c['H'], c['W'], c['kh'], c['kw'], c['sh'], c['sw'], c['dh'], c['dw'])
    return c


def with_groups(c):
    """2 or 3 groups, each with 1 or 2 input and 1 or 2 output channels."""
    g = ri(2, 3)
    c['groups'] = g
    c['Cin'] = g * ri(1, 2)
    c['Cout'] = g * ri(1, 2)


def one_window(c):
    """A kernel, a stride at least as large and an input that leaves room for one window only."""
    c['kh'], c['kw'] = ri(2, 4), ri(2, 4)
    c['sh'], c['sw'] = ri(c['kh'], 5), ri(c['kw'], 5)
    c['H'], c['W'] = ri(c['kh'], c['kh'] + c['sh'] - 1), ri(c['kw'], c['kw'] + c['sw'] - 1)


def sq_or_rect(lo, hi, square=0.5):
    a = ri(lo, hi)
    return (a, a) if coin(square) else (a, ri(lo, hi))


def conv_draw(category):
    """one draw for a conv category (may be invalid: the caller redraws)"""
    c = conv_base()
    note = None
    kind = 'signed'
    cat = category
    if cat == 'basic':
        pass
    elif cat == 'stride':
        c['sh'] = c['sw'] = ri(2, 4)
    elif cat == 'stride_unequal':
        c['sh'], c['sw'] = ri(1, 4), ri(1, 4)
    elif cat == 'pad_int':
        c['spec'] = ri(1, 3)
        c['sh'], c['sw'] = sq_or_rect(1, 3, 0.7)
    elif cat == 'pad_hw':
        c['spec'] = [ri(0, 3), ri(0, 3)]
        c['sh'], c['sw'] = sq_or_rect(1, 3, 0.7)
    elif cat == 'pad_ge_kernel':
        c['kh'], c['kw'] = sq_or_rect(1, 2)
        c['spec'] = ri(max(c['kh'], c['kw']), 3)
        note = 'padding >= kernel: border outputs are bias only'
    elif cat in ('same_odd', 'same_even', 'same_rect', 'same_dilated'):
        c['spec'] = 'same'
        if cat == 'same_odd':
            c['kh'] = c['kw'] = pick([1, 3, 5])
        elif cat == 'same_even':
            c['kh'] = c['kw'] = pick([2, 4])
            note = "even kernel with padding='same': extra pixel at bottom/right"
        elif cat == 'same_rect':
            c['kh'], c['kw'] = ri(1, 5), ri(1, 5)
        else:
            c['dh'], c['dw'] = ri(1, 3), ri(1, 3)
            c['kh'], c['kw'] = ri(2, 3), ri(2, 3)
    elif cat == 'same_stride':
        c['spec'] = 'SAME_UPPER'
        c['sh'], c['sw'] = sq_or_rect(2, 4, 0.6)
        c['kh'], c['kw'] = sq_or_rect(1, 5, 0.6)
        if coin(0.3):
            c['dh'], c['dw'] = ri(1, 2), ri(1, 2)
        note = "ONNX auto_pad SAME_UPPER with stride > 1 (the API's 'same' at any stride)"
    elif cat == 'same_lower':
        c['spec'] = 'SAME_LOWER'
        c['sh'], c['sw'] = ri(1, 3), ri(1, 3)
        c['kh'], c['kw'] = sq_or_rect(2, 4, 0.6)
        note = 'ONNX auto_pad SAME_LOWER: the odd pixel at the top/left'
    elif cat == 'asym_pads':
        c['spec'] = [ri(0, 3), ri(0, 3), ri(0, 3), ri(0, 3)]
        c['sh'], c['sw'] = ri(1, 3), ri(1, 3)
        if coin(0.3):
            c['dh'], c['dw'] = ri(1, 2), ri(1, 2)
        note = 'ONNX pads [top, left, bottom, right], asymmetric'
    elif cat == 'valid':
        c['spec'] = 'valid'
        c['sh'], c['sw'] = ri(1, 3), ri(1, 3)
    elif cat == 'dilation':
        c['dh'], c['dw'] = ri(1, 3), ri(1, 3)
        c['kh'], c['kw'] = ri(2, 3), ri(2, 3)
        c['H'], c['W'] = ri(4, 10), ri(4, 10)
        c['spec'] = pick([0, 1, 2, [ri(0, 2), ri(0, 2)]])
        c['H'], c['W'] = ri(4, 12), ri(4, 12)
    elif cat == 'dilation_full':
        # the dilated kernel exactly as large as the padded input: a 1×1 output
        c['kh'], c['kw'] = ri(2, 3), ri(2, 3)
        c['dh'], c['dw'] = ri(1, 4), ri(1, 4)
        c['spec'] = pick([0, 1, [ri(0, 2), ri(0, 2)]])
        p = resolve_pads(c['spec'], 1, 1, 1, 1, 1, 1, 1, 1)
        c['H'] = eff(c['kh'], c['dh']) - p[0] - p[2]
        c['W'] = eff(c['kw'], c['dw']) - p[1] - p[3]
        c['sh'], c['sw'] = ri(1, 3), ri(1, 3)
        note = 'dilated kernel extent = padded input: 1x1 output'
    elif cat == 'groups':
        with_groups(c)
        c['spec'] = pick([0, 1, [ri(0, 2), ri(0, 2)], 'same'])
        c['sh'], c['sw'] = sq_or_rect(1, 2, 0.7)
    elif cat == 'depthwise':
        c['Cin'] = ri(2, 6)
        c['groups'] = c['Cin']
        c['Cout'] = c['Cin'] * pick([1, 1, 2])
        c['kh'] = c['kw'] = pick([3, 3, 5, 2])
        c['spec'] = pick([c['kh'] // 2, 'same', 0])
        c['sh'] = c['sw'] = pick([1, 1, 2])
        if c['spec'] == 'same' and c['sh'] != 1:
            c['spec'] = 'SAME_UPPER'
        note = 'depthwise (groups = in_channels)'
    elif cat in ('reflect', 'replicate', 'circular'):
        c['mode'] = cat
        c['spec'] = pick([1, 2, [ri(0, 2), ri(0, 2)]])
        c['sh'], c['sw'] = sq_or_rect(1, 2, 0.7)
        if coin(0.25):
            c['dh'], c['dw'] = ri(1, 2), ri(1, 2)
    elif cat == 'reflect_max':
        # reflect padding one less than the input: the whole mirror
        c['mode'] = 'reflect'
        c['H'], c['W'] = ri(2, 4), ri(2, 4)
        c['spec'] = [c['H'] - 1, c['W'] - 1]
        note = 'reflect padding = input - 1 (the largest PyTorch allows)'
    elif cat == 'circular_full':
        c['mode'] = 'circular'
        c['H'], c['W'] = ri(1, 4), ri(1, 4)
        c['spec'] = [c['H'], c['W']] if coin(0.6) else [c['H'], ri(0, c['W'])]
        note = 'circular padding = input size (one full wrap)'
    elif cat == 'replicate_wide':
        c['mode'] = 'replicate'
        c['H'], c['W'] = ri(1, 3), ri(1, 3)
        c['spec'] = [ri(1, 4), ri(1, 4)]
        note = 'replicate padding larger than the input'
    elif cat == 'mode_same':
        c['mode'] = pick(['reflect', 'replicate', 'circular'])
        c['spec'] = 'same'
        c['kh'], c['kw'] = ri(1, 4), ri(1, 4)
        if coin(0.3):
            c['dh'], c['dw'] = ri(1, 2), ri(1, 2)
    elif cat == 'mode_asym':
        c['mode'] = pick(['reflect', 'replicate', 'circular'])
        c['spec'] = pick([[ri(0, 3), ri(0, 3), ri(0, 3), ri(0, 3)], 'SAME_LOWER', 'SAME_UPPER'])
        c['sh'], c['sw'] = ri(1, 3), ri(1, 3)
        note = 'asymmetric padding with a non-zero padding mode'
    elif cat == 'groups_modes':
        with_groups(c)
        c['mode'] = pick(['reflect', 'replicate', 'circular'])
        c['spec'] = pick([1, [ri(0, 2), ri(0, 2)], 'same'])
    elif cat == 'combo':
        c['sh'], c['sw'] = ri(1, 3), ri(1, 3)
        c['dh'], c['dw'] = ri(1, 3), ri(1, 3)
        c['H'], c['W'] = ri(1, 12), ri(1, 12)
        g = pick([1, 1, 2, 3])
        c['groups'] = g
        c['Cin'] = g * ri(1, 2)
        c['Cout'] = g * ri(1, 2)
        c['mode'] = pick(['zeros', 'zeros', 'reflect', 'replicate', 'circular'])
        c['spec'] = pick([0, ri(0, 3), [ri(0, 3), ri(0, 3)], 'same', 'valid', 'SAME_UPPER', 'SAME_LOWER',
                          [ri(0, 3), ri(0, 3), ri(0, 3), ri(0, 3)]])
        if c['spec'] == 'same' and (c['sh'], c['sw']) != (1, 1):
            c['spec'] = 'SAME_UPPER'
    elif cat == '1x1_input':
        c['H'] = c['W'] = 1
        c['kh'], c['kw'] = sq_or_rect(1, 3, 0.7)
        c['spec'] = pick([[c['kh'] // 2, c['kw'] // 2], 'same', [c['kh'] - 1, c['kw'] - 1]])
        if c['kh'] == 1 and c['kw'] == 1 and coin():
            c['spec'] = 0
        c['mode'] = pick(['zeros', 'zeros', 'replicate', 'circular'])
        note = '1x1 input'
    elif cat == 'kernel_eq_input':
        c['H'], c['W'] = c['kh'], c['kw'] = sq_or_rect(1, 6)
        c['spec'] = 0
        note = 'kernel = input size -> 1x1 output'
    elif cat == 'kernel_eq_input_pad':
        c['H'], c['W'] = c['kh'], c['kw'] = sq_or_rect(2, 5)
        c['spec'] = pick([1, [1, 2], [2, 1], 'same'])
        note = 'kernel = input size with padding'
    elif cat == '1x1_kernel':
        c['kh'] = c['kw'] = 1
        c['Cin'], c['Cout'] = ri(1, 6), ri(1, 4)
        c['sh'] = c['sw'] = pick([1, 1, 2, 3])
        note = '1x1 kernel: pure channel mixing'
    elif cat == 'stride_gt_kernel':
        c['kh'], c['kw'] = sq_or_rect(1, 2)
        c['sh'], c['sw'] = max(c['kh'], c['kw']) + ri(1, 2), max(c['kh'], c['kw']) + ri(1, 2)
        c['H'], c['W'] = ri(3, 12), ri(3, 12)
        c['spec'] = pick([0, 0, 1])
        note = 'stride > kernel: input pixels skipped'
    elif cat == 'out_1x1':
        one_window(c)
        note = 'output 1x1 via stride'
    elif cat == 'row_col':
        if coin():
            c['H'] = 1
            c['kh'] = 1
            c['W'] = ri(2, 12)
            note = 'H = 1'
        else:
            c['W'] = 1
            c['kw'] = 1
            c['H'] = ri(2, 12)
            note = 'W = 1'
    elif cat == 'rect_kernel':
        c['kh'], c['kw'] = pick([(1, 3), (3, 1), (1, 4), (4, 1), (2, 5), (5, 2), (1, 2), (2, 1)])
        c['H'], c['W'] = ri(3, 10), ri(3, 10)
        c['spec'] = pick([0, [c['kh'] // 2, c['kw'] // 2], 'same'])
    elif cat == 'fuzz':
        # everything at once, over wider ranges: what no category above thought of
        c['kh'], c['kw'] = ri(1, 6), ri(1, 6)
        c['sh'], c['sw'] = ri(1, 6), ri(1, 6)
        c['dh'], c['dw'] = ri(1, 4), ri(1, 4)
        c['H'], c['W'] = ri(1, 12), ri(1, 12)
        g = pick([1, 1, 2, 3, 4])
        c['groups'] = g
        c['Cin'] = g * ri(1, 2)
        c['Cout'] = g * ri(1, 2)
        c['mode'] = pick(['zeros', 'zeros', 'zeros', 'reflect', 'replicate', 'circular'])
        c['spec'] = pick([ri(0, 4), [ri(0, 4), ri(0, 4)], 'same', 'valid', 'SAME_UPPER', 'SAME_LOWER',
                          [ri(0, 4), ri(0, 4), ri(0, 4), ri(0, 4)]])
        if c['spec'] == 'same' and (c['sh'], c['sw']) != (1, 1):
            c['spec'] = 'SAME_UPPER'
    else:
        raise ValueError(cat)
    return with_pads(c), note, kind


# ---------------------------------------------------------------------------------------------
# conv_transpose2d
#
# The full scatter result of one axis has (in - 1)·s + d·(k - 1) + 1 cells; output cell o is full
# cell o + pad_before, zero where that lies past the end, and there are full - pad_before -
# pad_after + output_padding of them (PyTorch's F.conv_transpose2d; ONNX ConvTranspose with pads).

def full_size(size, k, s, d):
    return (size - 1) * s + eff(k, d)


def transpose_pads(spec, c):
    """padding_spec → (top, left, bottom, right); 'same' = ONNX SAME_UPPER: output in·stride"""
    if spec == 'same':
        def axis(size, k, s, d, op):
            total = full_size(size, k, s, d) + op - size * s
            return total // 2, total - total // 2
        t, b = axis(c['H'], c['kh'], c['sh'], c['dh'], c['oph'])
        l, r = axis(c['W'], c['kw'], c['sw'], c['dw'], c['opw'])
        return (t, l, b, r)
    return resolve_pads(spec, c['H'], c['W'], c['kh'], c['kw'], c['sh'], c['sw'], c['dh'], c['dw'])


def transpose_out(c):
    t, l, b, r = c['pads']
    oh = full_size(c['H'], c['kh'], c['sh'], c['dh']) - t - b + c['oph']
    ow = full_size(c['W'], c['kw'], c['sw'], c['dw']) - l - r + c['opw']
    return oh, ow


def conv_transpose_explicit(x, w, b, pads, stride, output_padding, dilation, groups):
    """F.conv_transpose2d without padding or output_padding (the full scatter), zero-extended at the
    bottom/right by output_padding, cropped by the pads, plus the bias"""
    t, l, bo, r = pads
    full = F.conv_transpose2d(x, w, None, stride, 0, 0, groups, dilation)
    fh, fw = full.shape[2], full.shape[3]
    oh, ow = fh - t - bo + output_padding[0], fw - l - r + output_padding[1]
    ext = F.pad(full, (0, max(0, l + ow - fw), 0, max(0, t + oh - fh)))
    y = ext[:, :, t:t + oh, l:l + ow]
    if b is not None:
        y = y + b.view(1, -1, 1, 1)
    return y.contiguous()


def conv_transpose_scatter(x, w, b, pads, stride, output_padding, dilation, groups):
    """the definition, in numpy float64 and without torch's kernels: every input element times the
    kernel, added into the full result at stride and dilation; then the same crop"""
    x, w = x.double().numpy(), w.double().numpy()
    n, cin, h, wd = x.shape
    _, cpg, kh, kw = w.shape
    (sh, sw), (dh, dw), (oph, opw) = stride, dilation, output_padding
    fh, fw = full_size(h, kh, sh, dh), full_size(wd, kw, sw, dw)
    full = np.zeros((n, cpg * groups, fh + oph, fw + opw))
    per_group = cin // groups
    for ic in range(cin):
        g = ic // per_group
        for oc in range(cpg):
            for ky in range(kh):
                for kx in range(kw):
                    rows = slice(ky * dh, ky * dh + (h - 1) * sh + 1, sh)
                    cols = slice(kx * dw, kx * dw + (wd - 1) * sw + 1, sw)
                    full[:, g * cpg + oc, rows, cols] += x[:, ic] * w[ic, oc, ky, kx]
    t, l, bo, r = pads
    y = full[:, :, t:fh + oph - bo, l:fw + opw - r]
    if b is not None:
        y = y + b.double().numpy().reshape(1, -1, 1, 1)
    return y


def torch_transpose_padding(spec):
    """the spec as F.conv_transpose2d takes it (symmetric only), or None"""
    return 0 if spec == 'valid' else torch_pair_padding(spec)


def conv_transpose_valid(c):
    if min(c['H'], c['W'], c['kh'], c['kw']) < 1 or c['Cin'] % c['groups']:
        return False
    if c['oph'] >= max(c['sh'], c['dh']) or c['opw'] >= max(c['sw'], c['dw']):
        return False
    if min(c['pads']) < 0:
        # 'same' whose scatter (+ output_padding) is shorter than in·stride: the API refuses it
        return False
    oh, ow = transpose_out(c)
    if oh < 1 or ow < 1:
        return False
    # keep the fixture small: at most 1,600 output elements per case
    return c['N'] * c['cpg'] * c['groups'] * oh * ow <= 1600


def make_conv_transpose(category, c, note=None):
    cout = c['cpg'] * c['groups']
    x = values((c['N'], c['Cin'], c['H'], c['W']))
    w = values((c['Cin'], c['cpg'], c['kh'], c['kw']))
    b = values((cout,)) if c['bias'] else None
    stride, dilation, op = (c['sh'], c['sw']), (c['dh'], c['dw']), (c['oph'], c['opw'])
    pads = c['pads']
    y = conv_transpose_explicit(x, w, b, pads, stride, op, dilation, c['groups'])
    ref = conv_transpose_scatter(x, w, b, pads, stride, op, dilation, c['groups'])
    assert ref.shape == tuple(y.shape) and np.allclose(y.double().numpy(), ref, rtol=0, atol=1e-5), \
        'F.conv_transpose2d + crop ≠ the numpy scatter'
    tp = torch_transpose_padding(c['spec'])
    symmetric = pads[0] == pads[2] and pads[1] == pads[3]
    if symmetric:
        m = torch.nn.ConvTranspose2d(c['Cin'], cout, (c['kh'], c['kw']), stride, (pads[0], pads[1]), op, c['groups'],
                                     bias=b is not None, dilation=dilation)
        with torch.no_grad():
            m.weight.copy_(w)
            if b is not None:
                m.bias.copy_(b)
            native = m(x)
        assert native.shape == y.shape and torch.allclose(native, y, atol=1e-5), 'nn.ConvTranspose2d ≠ F.conv_transpose2d + crop'
        if tp is not None:
            y = native
    if tp is None:
        how = 'F.conv_transpose2d with no padding or output_padding, then zero-extended by output_padding and cropped'
        note = f"{note}; {how}" if note else how
    assert tuple(y.shape) == (c['N'], cout) + transpose_out(c), (tuple(y.shape), transpose_out(c))
    attrs = {
        'stride': [c['sh'], c['sw']], 'padding': list(pads), 'padding_spec': c['spec'],
        'output_padding': [c['oph'], c['opw']], 'dilation': [c['dh'], c['dw']], 'groups': c['groups'],
        'kernel_size': [c['kh'], c['kw']],
    }
    return conv_case('conv_transpose2d', category, attrs, x, w, b, y, note)


def transpose_base():
    k = ri(1, 4)
    return {
        'N': pick(SIZES['N']), 'Cin': ri(1, 3), 'cpg': ri(1, 3), 'groups': 1, 'H': ri(2, 6), 'W': ri(2, 6),
        'kh': k, 'kw': k if coin(0.6) else ri(1, 4), 'sh': 1, 'sw': 1, 'dh': 1, 'dw': 1,
        'oph': 0, 'opw': 0, 'spec': 0, 'bias': coin(),
    }


def any_output_padding(c):
    """output_padding drawn over everything the API allows: < max(stride, dilation)"""
    c['oph'] = ri(0, max(c['sh'], c['dh']) - 1)
    c['opw'] = ri(0, max(c['sw'], c['dw']) - 1)


def transpose_spec(c, hi=3):
    """any padding form"""
    return pick([0, ri(1, hi), [ri(0, hi), ri(0, hi)], [ri(0, hi), ri(0, hi), ri(0, hi), ri(0, hi)], 'same', 'valid'])


def conv_transpose_draw(cat):
    """one draw for a conv_transpose2d category (may be invalid: the caller redraws)"""
    c = transpose_base()
    note = None
    if cat == 'basic':
        pass
    elif cat == 'stride':
        c['sh'] = c['sw'] = ri(2, 3)
    elif cat == 'stride_unequal':
        c['sh'], c['sw'] = ri(1, 3), ri(1, 3)
        c['kh'], c['kw'] = ri(1, 4), ri(1, 4)
    elif cat == 'stride_gt_kernel':
        c['kh'], c['kw'] = sq_or_rect(1, 2)
        c['sh'], c['sw'] = ri(c['kh'] + 1, 3), ri(c['kw'] + 1, 3)
        c['spec'] = pick([0, 0, 1, [0, 1]])
        any_output_padding(c)
        note = 'stride > kernel: rows and columns of zeros (plus bias) between the scattered kernels'
    elif cat == 'pad_int':
        c['spec'] = ri(1, 3)
        c['sh'], c['sw'] = sq_or_rect(1, 3, 0.7)
    elif cat == 'pad_hw':
        c['spec'] = [ri(0, 3), ri(0, 3)]
        c['sh'], c['sw'] = sq_or_rect(1, 3, 0.7)
    elif cat == 'pad_crop_most':
        # crop all but one or two rows/columns of the full result, often more than the kernel
        c['sh'], c['sw'] = ri(1, 3), ri(1, 3)
        if coin(0.3):
            c['dh'], c['dw'] = ri(1, 2), ri(1, 2)
        any_output_padding(c)
        fh = full_size(c['H'], c['kh'], c['sh'], c['dh']) + c['oph']
        fw = full_size(c['W'], c['kw'], c['sw'], c['dw']) + c['opw']
        c['spec'] = [ri(max(0, (fh - 2) // 2), (fh - 1) // 2), ri(max(0, (fw - 2) // 2), (fw - 1) // 2)]
        note = 'padding crops all but 1-2 rows/columns of the full result'
    elif cat == 'output_padding':
        c['sh'], c['sw'] = sq_or_rect(2, 3, 0.6)
        c['oph'], c['opw'] = ri(0, c['sh'] - 1), ri(0, c['sw'] - 1)
        if (c['oph'], c['opw']) == (0, 0):
            c['oph'] = c['sh'] - 1
        c['spec'] = pick([0, 0, 1])
    elif cat == 'output_padding_in_pad':
        # output_padding ≤ the bottom/right padding: the extra rows/columns are cropped-away data, not zeros
        c['sh'], c['sw'] = sq_or_rect(2, 3, 0.6)
        c['oph'], c['opw'] = ri(1, c['sh'] - 1), ri(1, c['sw'] - 1)
        c['spec'] = pick([ri(max(c['oph'], c['opw']), 3), [ri(c['oph'], 3), ri(c['opw'], 3)]])
        note = 'output_padding <= padding: the extra rows/columns hold data the padding would have cropped'
    elif cat == 'output_padding_ge_stride':
        # allowed because the dilation is larger than the stride
        c['dh'], c['dw'] = sq_or_rect(2, 3, 0.6)
        c['sh'], c['sw'] = ri(1, c['dh'] - 1), ri(1, c['dw'] - 1)
        c['oph'], c['opw'] = ri(c['sh'], c['dh'] - 1), ri(0, c['dw'] - 1)
        if coin():
            c['oph'], c['opw'] = c['opw'], c['oph']
            c['sh'], c['sw'] = c['sw'], c['sh']
            c['dh'], c['dw'] = c['dw'], c['dh']
        c['kh'], c['kw'] = ri(1, 4), ri(1, 4)
        c['spec'] = pick([0, 1, [ri(0, 2), ri(0, 2)], [ri(0, 2), ri(0, 2), ri(0, 2), ri(0, 2)], 'same'])
        note = 'output_padding >= stride (allowed: dilation > stride)'
    elif cat == 'dilation':
        c['dh'], c['dw'] = sq_or_rect(2, 3, 0.6)
        c['sh'], c['sw'] = sq_or_rect(1, 2, 0.7)
        c['spec'] = pick([0, 1, [ri(0, 2), ri(0, 2)]])
    elif cat == 'groups':
        g = ri(2, 3)
        c['groups'], c['Cin'], c['cpg'] = g, g * ri(1, 2), ri(1, 2)
        c['sh'], c['sw'] = sq_or_rect(1, 2, 0.7)
        c['spec'] = pick([0, 1, [ri(0, 2), ri(0, 2)], 'same'])
        any_output_padding(c)
    elif cat == 'depthwise':
        c['Cin'] = ri(2, 5)
        c['groups'] = c['Cin']
        c['cpg'] = pick([1, 1, 2])
        c['kh'] = c['kw'] = pick([3, 3, 2, 4])
        c['sh'] = c['sw'] = pick([1, 2, 2])
        c['spec'] = pick([c['kh'] // 2, 'same', 0])
        any_output_padding(c)
        note = 'depthwise (groups = in_channels)'
    elif cat == 'asym_pads':
        c['spec'] = [ri(0, 3), ri(0, 3), ri(0, 3), ri(0, 3)]
        c['sh'], c['sw'] = ri(1, 3), ri(1, 3)
        if coin(0.3):
            c['dh'], c['dw'] = ri(1, 2), ri(1, 2)
        note = 'ONNX pads [top, left, bottom, right], asymmetric'
    elif cat == 'asym_pads_op':
        c['sh'], c['sw'] = ri(2, 3), ri(2, 3)
        if coin(0.3):
            c['dh'], c['dw'] = ri(1, 3), ri(1, 3)
        any_output_padding(c)
        c['spec'] = [ri(0, 3), ri(0, 3), ri(0, 3), ri(0, 3)]
        note = 'ONNX pads [top, left, bottom, right], asymmetric, with output_padding'
    elif cat == 'asym_crop_top':
        # everything cropped from the top/left: the output is the tail of the full result plus output_padding
        c['sh'], c['sw'] = ri(1, 3), ri(1, 3)
        any_output_padding(c)
        fh = full_size(c['H'], c['kh'], c['sh'], c['dh'])
        fw = full_size(c['W'], c['kw'], c['sw'], c['dw'])
        c['spec'] = [ri(max(0, fh - 3), fh - 1 + c['oph']), ri(max(0, fw - 3), fw - 1 + c['opw']), 0, 0]
        note = 'padding at the top/left only, cropping all but the last rows/columns (some outputs bias only)'
    elif cat in ('same', 'same_stride', 'same_op', 'same_dilated'):
        c['spec'] = 'same'
        if cat == 'same':
            c['kh'], c['kw'] = sq_or_rect(1, 5, 0.6)
        elif cat == 'same_stride':
            c['sh'], c['sw'] = sq_or_rect(2, 3, 0.6)
            c['kh'], c['kw'] = sq_or_rect(2, 5, 0.6)
        elif cat == 'same_op':
            c['sh'], c['sw'] = sq_or_rect(2, 3, 0.6)
            c['kh'], c['kw'] = sq_or_rect(1, 4, 0.6)
            any_output_padding(c)
            note = "'same' with output_padding: it adds to the total cropped (output stays in·stride)"
        else:
            c['dh'], c['dw'] = ri(1, 3), ri(2, 3)
            if coin():
                c['dh'], c['dw'] = c['dw'], c['dh']
            c['sh'], c['sw'] = ri(1, 3), ri(1, 3)
            c['kh'], c['kw'] = ri(2, 3), ri(2, 3)
            any_output_padding(c)
        note = note or "'same' = ONNX auto_pad SAME_UPPER: output in·stride, the odd row/column cropped at the bottom/right"
    elif cat == 'valid':
        c['spec'] = 'valid'
        c['sh'], c['sw'] = ri(1, 3), ri(1, 3)
        any_output_padding(c)
    elif cat == '1x1_input':
        c['H'] = c['W'] = 1
        c['kh'], c['kw'] = sq_or_rect(1, 5, 0.6)
        c['sh'], c['sw'] = ri(1, 3), ri(1, 3)
        any_output_padding(c)
        c['spec'] = pick([0, 0, 'same', [ri(0, 1), ri(0, 1)], [ri(0, 2), ri(0, 2), ri(0, 2), ri(0, 2)]])
        note = '1x1 input: the output is the kernel (cropped, extended)'
    elif cat == '1x1_kernel':
        c['kh'] = c['kw'] = 1
        c['Cin'], c['cpg'] = ri(1, 4), ri(1, 3)
        c['sh'], c['sw'] = sq_or_rect(1, 3, 0.6)
        any_output_padding(c)
        c['spec'] = pick([0, 0, 'same', [ri(0, 1), ri(0, 1)]])
        note = '1x1 kernel: channel mixing, stride spreads it out'
    elif cat == 'row_col':
        if coin():
            c['H'], c['W'] = 1, ri(2, 9)
            note = 'H = 1'
        else:
            c['H'], c['W'] = ri(2, 9), 1
            note = 'W = 1'
        c['sh'], c['sw'] = ri(1, 3), ri(1, 3)
        any_output_padding(c)
        c['spec'] = transpose_spec(c, 2)
    elif cat == 'rect_kernel':
        c['kh'], c['kw'] = pick([(1, 3), (3, 1), (1, 4), (4, 1), (2, 5), (5, 2), (1, 5), (5, 1), (2, 3), (3, 2)])
        c['sh'], c['sw'] = ri(1, 3), ri(1, 3)
        c['spec'] = pick([0, [c['kh'] // 2, c['kw'] // 2], 'same'])
    elif cat in ('combo', 'fuzz'):
        # everything at once; fuzz over the widest ranges the fixture keeps
        lo_hw = 1 if cat == 'fuzz' else 2
        c['H'], c['W'] = ri(lo_hw, 9), ri(lo_hw, 9)
        c['kh'], c['kw'] = ri(1, 5), ri(1, 5)
        c['sh'], c['sw'] = ri(1, 3), ri(1, 3)
        c['dh'], c['dw'] = ri(1, 3), ri(1, 3)
        g = pick([1, 1, 2, 3])
        c['groups'], c['Cin'], c['cpg'] = g, g * ri(1, 2), ri(1, 2)
        any_output_padding(c)
        c['spec'] = transpose_spec(c, 4 if cat == 'fuzz' else 3)
    else:
        raise ValueError(cat)
    c['pads'] = transpose_pads(c['spec'], c)
    return c, note


# ---------------------------------------------------------------------------------------------
# pooling

def pool_pads_ok(c):
    """the API's rule: each side smaller than the dilated extent; the kernel fits the padded input"""
    t, l, b, r = c['pads']
    eh, ew = eff(c['kh'], c['dh']), eff(c['kw'], c['dw'])
    if max(t, b) >= eh or max(l, r) >= ew:
        return False
    return eh <= c['H'] + t + b and ew <= c['W'] + l + r


def window_taps(o, s, k, d, pb):
    start = o * s - pb
    return [start + j * d for j in range(k)]


def empty_window(c):
    """some window reads no real cell"""
    oh = axis_out(c['H'], c['kh'], c['sh'], c['dh'], c['pads'][0], c['pads'][2], c['ceil'])
    ow = axis_out(c['W'], c['kw'], c['sw'], c['dw'], c['pads'][1], c['pads'][3], c['ceil'])
    for o in range(oh):
        if not any(0 <= i < c['H'] for i in window_taps(o, c['sh'], c['kh'], c['dh'], c['pads'][0])):
            return True
    for o in range(ow):
        if not any(0 <= i < c['W'] for i in window_taps(o, c['sw'], c['kw'], c['dw'], c['pads'][1])):
            return True
    return False


def torch_pool_native_ok(c):
    """PyTorch's max/avg/lp pooling takes this padding as it is"""
    t, l, b, r = c['pads']
    if t != b or l != r:
        return False
    if not (isinstance(c['spec'], int) or (isinstance(c['spec'], list) and len(c['spec']) == 2)):
        return False
    return t <= c['kh'] // 2 and l <= c['kw'] // 2


def pre_pad(c):
    """explicit padding plus the ceil-mode overhang at the end, so the last window fits"""
    t, l, b, r = c['pads']
    oh = axis_out(c['H'], c['kh'], c['sh'], c['dh'], t, b, c['ceil'])
    ow = axis_out(c['W'], c['kw'], c['sw'], c['dw'], l, r, c['ceil'])
    xh = max(0, (oh - 1) * c['sh'] + eff(c['kh'], c['dh']) - (c['H'] + t + b))
    xw = max(0, (ow - 1) * c['sw'] + eff(c['kw'], c['dw']) - (c['W'] + l + r))
    return oh, ow, (t, b + xh, l, r + xw), (xh, xw)


def window_sums(xp, c):
    """sum over each window of a pre-padded input: a depthwise conv with a ones kernel"""
    C = xp.shape[1]
    ones = torch.ones((C, 1, c['kh'], c['kw']))
    return F.conv2d(xp, ones, None, (c['sh'], c['sw']), 0, (c['dh'], c['dw']), C)


def max_explicit(x, c):
    oh, ow, (t, b, l, r), _ = pre_pad(c)
    xp = F.pad(x, (l, r, t, b), value=-math.inf)
    y, idx = F.max_pool2d(xp, (c['kh'], c['kw']), (c['sh'], c['sw']), 0, (c['dh'], c['dw']), False, True)
    y, idx = y[:, :, :oh, :ow], idx[:, :, :oh, :ow]
    Wp = xp.shape[3]
    rows, cols = idx // Wp - t, idx % Wp - l
    assert bool(((rows >= 0) & (rows < c['H']) & (cols >= 0) & (cols < c['W'])).all()), 'max in padding'
    return y.contiguous(), (rows * c['W'] + cols).contiguous()


def avg_explicit(x, c):
    oh, ow, (t, b, l, r), (xh, xw) = pre_pad(c)
    N, C, H, W = x.shape
    s = window_sums(F.pad(x, (l, r, t, b)), c)[:, :, :oh, :ow]
    if c['divisor_override'] is not None:
        return (s / c['divisor_override']).contiguous()
    if c['cip']:
        # input + padding count, the ceil-mode overhang beyond the padding does not
        mask = F.pad(torch.ones((1, 1, H + c['pads'][0] + c['pads'][2], W + c['pads'][1] + c['pads'][3])), (0, xw, 0, xh))
    else:
        mask = F.pad(torch.ones((1, 1, H, W)), (l, r, t, b))
    n = window_sums(mask, c)[:, :, :oh, :ow]
    return (s / n).contiguous()


def lp_explicit(x, c):
    oh, ow, (t, b, l, r), _ = pre_pad(c)
    s = window_sums(F.pad(x.abs().pow(c['p']), (l, r, t, b)), c)[:, :, :oh, :ow]
    return s.pow(1.0 / c['p']).contiguous()


def make_pool(op, category, c, note=None, kind='signed'):
    x = values((c['N'], c['C'], c['H'], c['W']), kind)
    k, s, d = (c['kh'], c['kw']), (c['sh'], c['sw']), (c['dh'], c['dw'])
    native = torch_pool_native_ok(c)
    indices = None
    if op == 'maxpool2d':
        y, idx = max_explicit(x, c)
        if native:
            yn, idxn = F.max_pool2d(x, k, s, (c['pads'][0], c['pads'][1]), d, c['ceil'], True)
            assert yn.shape == y.shape and torch.equal(yn, y) and torch.equal(idxn, idx), 'max_pool2d ≠ explicit'
            y, idx = yn, idxn
        if c['indices']:
            indices = idx
    elif op == 'avgpool2d':
        y = avg_explicit(x, c)
        if native and d == (1, 1):
            yn = F.avg_pool2d(x, k, s, (c['pads'][0], c['pads'][1]), c['ceil'], c['cip'], c['divisor_override'])
            assert yn.shape == y.shape and torch.allclose(yn, y, atol=1e-6), 'avg_pool2d ≠ explicit'
            y = yn
        else:
            native = False
    elif op == 'lppool2d':
        y = lp_explicit(x, c)
        torch_lp = (native and d == (1, 1) and c['pads'] == (0, 0, 0, 0) and not c['ceil']
                    and (c['p'] % 2 == 0 or bool((x >= 0).all())))
        if torch_lp:
            yn = F.lp_pool2d(x, c['p'], k, s, False)
            assert yn.shape == y.shape and torch.allclose(yn, y, atol=1e-5, rtol=1e-5), 'lp_pool2d ≠ explicit'
            y = yn
        native = torch_lp
    else:
        raise ValueError(op)
    if not native:
        how = {
            'maxpool2d': 'F.pad(-inf) then F.max_pool2d with no padding',
            'avgpool2d': 'window sums and divisors as a depthwise F.conv2d with a ones kernel over F.pad(zeros)',
            'lppool2d': '(sum |x|^p)^(1/p): window sums of |x|^p as a depthwise F.conv2d with a ones kernel over F.pad(zeros)',
        }[op]
        if c['ceil']:
            how += ', ceil-mode output cropped'
        note = f"{note}; {how}" if note else how
    assert torch.isfinite(y).all(), 'non-finite expected output'
    oh = axis_out(c['H'], c['kh'], c['sh'], c['dh'], c['pads'][0], c['pads'][2], c['ceil'])
    ow = axis_out(c['W'], c['kw'], c['sw'], c['dw'], c['pads'][1], c['pads'][3], c['ceil'])
    assert tuple(y.shape) == (c['N'], c['C'], oh, ow)
    attrs = {'kernel_size': [c['kh'], c['kw']], 'stride': [c['sh'], c['sw']], 'padding': list(c['pads']),
             'padding_spec': c['spec'], 'dilation': [c['dh'], c['dw']], 'ceil_mode': c['ceil']}
    if op == 'maxpool2d':
        attrs['return_indices'] = c['indices']
    elif op == 'avgpool2d':
        attrs['count_include_pad'] = c['cip']
        attrs['divisor_override'] = c['divisor_override']
    else:
        attrs['p'] = c['p']
    outputs = {'output': tensor_json(y)}
    if indices is not None:
        outputs['indices'] = tensor_json(indices, 'int64')
    case = {'op': op, 'category': category, 'attrs': attrs, 'inputs': {'input': tensor_json(x)}, 'outputs': outputs}
    if note:
        case['note'] = note
    return case


def pool_base():
    k = ri(1, 4)
    kw = k if coin(0.6) else ri(1, 4)
    return {'N': pick(SIZES['N']), 'C': ri(*SIZES['C']), 'H': ri(*SIZES['pool_HW']), 'W': ri(*SIZES['pool_HW']), 'kh': k, 'kw': kw,
            'sh': k, 'sw': kw, 'dh': 1, 'dw': 1, 'spec': 0, 'ceil': False, 'indices': False,
            'cip': True, 'divisor_override': None, 'p': 2}


def torch_pad_spec(c):
    """symmetric padding PyTorch takes: each ≤ k/2"""
    ph, pw = ri(0, c['kh'] // 2), ri(0, c['kw'] // 2)
    if ph == pw and coin(0.6):
        return ph
    return [ph, pw]


def onnx_pad_spec(c):
    """ONNX-style: per side, each smaller than the dilated extent"""
    eh, ew = eff(c['kh'], c['dh']), eff(c['kw'], c['dw'])
    return [ri(0, min(eh - 1, 3)), ri(0, min(ew - 1, 3)), ri(0, min(eh - 1, 3)), ri(0, min(ew - 1, 3))]


def pool_draw(op, category):
    c = pool_base()
    note = None
    kind = 'signed'
    cat = category
    if op == 'maxpool2d':
        c['indices'] = coin(0.35)
    if cat == 'basic':
        c['spec'] = 0
    elif cat == 'stride_rect':
        c['sh'], c['sw'] = ri(1, 3), ri(1, 3)
        c['kh'], c['kw'] = ri(1, 4), ri(1, 4)
    elif cat == 'overlap':
        c['kh'], c['kw'] = sq_or_rect(2, 4, 0.6)
        c['sh'], c['sw'] = ri(1, c['kh'] - 1), ri(1, c['kw'] - 1)
    elif cat == 'padding':
        c['kh'], c['kw'] = sq_or_rect(2, 5, 0.6)
        c['sh'], c['sw'] = sq_or_rect(1, 3, 0.6)
        c['spec'] = torch_pad_spec(c)
    elif cat == 'dilation':
        c['kh'], c['kw'] = sq_or_rect(2, 3, 0.6)
        c['dh'], c['dw'] = ri(1, 3), ri(1, 3)
        c['sh'], c['sw'] = ri(1, 3), ri(1, 3)
        c['H'], c['W'] = ri(3, 12), ri(3, 12)
        c['spec'] = torch_pad_spec(c)
    elif cat in ('ceil', 'ceil_pad'):
        c['kh'], c['kw'] = sq_or_rect(2, 4, 0.6)
        c['sh'], c['sw'] = sq_or_rect(2, 4, 0.6)
        c['ceil'] = True
        c['spec'] = 0 if cat == 'ceil' else torch_pad_spec(c)
        if cat == 'ceil_pad' and c['spec'] in (0, [0, 0]):
            return None
        if op == 'maxpool2d' and coin(0.3):
            c['dh'], c['dw'] = ri(1, 2), ri(1, 2)
        note = 'ceil_mode partial windows'
    elif cat == 'ceil_drop_last':
        # in + pb − effK divisible so that ceil adds a window starting in the trailing padding
        c['kh'], c['kw'] = sq_or_rect(1, 3, 0.6)
        c['sh'], c['sw'] = sq_or_rect(2, 3, 0.6)
        c['spec'] = torch_pad_spec(c)
        c['ceil'] = True
        p = resolve_pads(c['spec'], 1, 1, 1, 1, 1, 1, 1, 1)
        dropped = False
        for axis, (size, k, s, pb, pe) in enumerate([(c['H'], c['kh'], c['sh'], p[0], p[2]), (c['W'], c['kw'], c['sw'], p[1], p[3])]):
            span = size + pb + pe - k
            raw = -(-span // s) + 1 if span >= 0 else 0
            if span >= 0 and (raw - 1) * s >= size + pb:
                dropped = True
        if not dropped:
            return None
        note = 'ceil_mode: last window would start in the trailing padding -> dropped'
    elif cat == 'onnx_pads':
        c['kh'], c['kw'] = sq_or_rect(2, 4, 0.6)
        c['sh'], c['sw'] = ri(1, 3), ri(1, 3)
        if coin(0.3):
            c['dh'], c['dw'] = ri(1, 2), ri(1, 2)
        c['spec'] = onnx_pad_spec(c)
        c['ceil'] = coin(0.3)
        note = 'ONNX pads [top, left, bottom, right], asymmetric or above k/2'
    elif cat == 'big_pads':
        # above PyTorch's k/2 but under the dilated extent (ONNX allows it, so does the API)
        c['kh'], c['kw'] = sq_or_rect(2, 4, 0.6)
        c['dh'], c['dw'] = ri(1, 2), ri(1, 2)
        c['sh'], c['sw'] = ri(1, 3), ri(1, 3)
        eh, ew = eff(c['kh'], c['dh']), eff(c['kw'], c['dw'])
        ph, pw = ri(c['kh'] // 2 + 1, eh - 1) if eh - 1 > c['kh'] // 2 else 0, ri(c['kw'] // 2 + 1, ew - 1) if ew - 1 > c['kw'] // 2 else 0
        if ph == 0 and pw == 0:
            return None
        c['spec'] = [ph, pw, ph, pw]
        c['ceil'] = coin(0.3)
        note = 'padding above kernel/2, below the dilated extent (ONNX rule)'
    elif cat in ('same_upper', 'same_lower'):
        c['spec'] = 'SAME_UPPER' if cat == 'same_upper' else 'SAME_LOWER'
        c['kh'], c['kw'] = sq_or_rect(1, 4, 0.6)
        c['sh'], c['sw'] = ri(1, 3), ri(1, 3)
        if coin(0.25):
            c['dh'], c['dw'] = ri(1, 2), ri(1, 2)
        c['ceil'] = coin(0.2)
        note = f"ONNX auto_pad {c['spec']}"
    elif cat == 'indices':
        c['indices'] = True
        c['sh'], c['sw'] = ri(1, 3), ri(1, 3)
        c['spec'] = torch_pad_spec(c)
    elif cat == 'indices_ceil_dilation':
        c['indices'] = True
        c['kh'], c['kw'] = sq_or_rect(2, 3, 0.6)
        c['dh'], c['dw'] = ri(1, 3), ri(1, 3)
        c['sh'], c['sw'] = ri(1, 3), ri(1, 3)
        c['H'], c['W'] = ri(3, 11), ri(3, 11)
        c['spec'] = torch_pad_spec(c)
        c['ceil'] = True
    elif cat == 'all_negative':
        kind = 'negative'
        c['kh'], c['kw'] = sq_or_rect(2, 3, 0.7)
        c['sh'], c['sw'] = ri(1, 2), ri(1, 2)
        c['spec'] = pick([1, [c['kh'] // 2, c['kw'] // 2], [1, 0, 0, 1], [0, 1, 1, 0]])
        note = 'all-negative input with padding: padding must act as -inf, not 0'
    elif cat == 'ties':
        kind = 'ties'
        c['indices'] = True
        c['kh'], c['kw'] = sq_or_rect(2, 4, 0.6)
        c['sh'], c['sw'] = ri(1, 3), ri(1, 3)
        c['spec'] = pick([0, torch_pad_spec(c), onnx_pad_spec(c)])
        c['ceil'] = coin(0.3)
        note = 'values in {-1, -0.5, 0, 0.5, 1}: ties, the first in row-major order wins'
    elif cat == 'kernel_eq_input':
        c['H'], c['W'] = c['kh'], c['kw'] = sq_or_rect(1, 8)
        c['sh'], c['sw'] = pick([(c['kh'], c['kw']), (1, 1), (ri(1, 4), ri(1, 4))])
        note = 'kernel = input size -> 1x1'
    elif cat == 'stride_gt_kernel':
        c['kh'], c['kw'] = sq_or_rect(1, 2, 0.6)
        c['sh'], c['sw'] = c['kh'] + ri(1, 3), c['kw'] + ri(1, 3)
        c['H'], c['W'] = ri(3, 12), ri(3, 12)
        c['spec'] = torch_pad_spec(c)
        c['ceil'] = coin(0.3)
        note = 'stride > kernel'
    elif cat == '1x1_input':
        c['H'] = c['W'] = 1
        c['kh'], c['kw'] = pick([(1, 1), (2, 2), (3, 3), (2, 3), (3, 1)])
        c['sh'], c['sw'] = ri(1, 2), ri(1, 2)
        c['spec'] = [c['kh'] // 2, c['kw'] // 2]
        c['ceil'] = coin(0.3)
        note = '1x1 input'
    elif cat == 'out_1x1':
        one_window(c)
        note = 'output 1x1'
    elif cat == 'cip':
        # avg: padding with count_include_pad true / false
        c['kh'], c['kw'] = sq_or_rect(2, 5, 0.6)
        c['sh'], c['sw'] = ri(1, 3), ri(1, 3)
        c['spec'] = torch_pad_spec(c)
        if c['spec'] in (0, [0, 0]):
            return None
        c['cip'] = coin()
    elif cat == 'ceil_cip':
        c['kh'], c['kw'] = sq_or_rect(2, 4, 0.6)
        c['sh'], c['sw'] = sq_or_rect(2, 4, 0.6)
        c['spec'] = torch_pad_spec(c)
        c['ceil'] = True
        c['cip'] = coin()
        note = 'ceil_mode partial windows: divisor = window clipped to input+padding' if c['cip'] else \
            'ceil_mode partial windows: divisor = number of real input elements'
    elif cat == 'divisor_override':
        c['kh'], c['kw'] = sq_or_rect(1, 4, 0.6)
        c['sh'], c['sw'] = ri(1, 3), ri(1, 3)
        c['spec'] = torch_pad_spec(c)
        c['ceil'] = coin(0.4)
        c['cip'] = coin()
        c['divisor_override'] = ri(1, 9)
    elif cat == 'onnx_dilation':
        c['kh'], c['kw'] = sq_or_rect(2, 3, 0.6)
        c['dh'], c['dw'] = ri(1, 3), ri(1, 3)
        if (c['dh'], c['dw']) == (1, 1):
            c['dw'] = 2
        c['sh'], c['sw'] = ri(1, 3), ri(1, 3)
        c['H'], c['W'] = ri(3, 12), ri(3, 12)
        c['spec'] = pick([0, onnx_pad_spec(c), 'SAME_UPPER'])
        c['ceil'] = coin(0.3)
        if op == 'avgpool2d':
            c['cip'] = coin()
        note = 'avg/lp pooling with dilation (ONNX; not in PyTorch)'
    elif cat == 'p2':
        c['p'] = 2
        c['sh'], c['sw'] = ri(1, 3), ri(1, 3)
    elif cat == 'p_odd_nonneg':
        kind = 'nonneg'
        c['p'] = pick([1, 3])
        c['sh'], c['sw'] = ri(1, 3), ri(1, 3)
        note = 'inputs non-negative (PyTorch lp_pool2d uses x**p, not |x|**p)'
    elif cat == 'lp_onnx':
        c['p'] = pick([1, 2, 3, 4])
        c['kh'], c['kw'] = sq_or_rect(2, 3, 0.6)
        c['sh'], c['sw'] = ri(1, 3), ri(1, 3)
        c['spec'] = pick([torch_pad_spec(c), onnx_pad_spec(c), 'SAME_UPPER', 'SAME_LOWER'])
        c['ceil'] = coin(0.4)
        note = 'ONNX LpPool: |x|^p over signed input, padding adds 0'
    elif cat == 'lp_float_p':
        c['p'] = pick([0.5, 1.5, 2.5, 3.5, 1.25])
        c['sh'], c['sw'] = ri(1, 3), ri(1, 3)
        c['spec'] = pick([0, torch_pad_spec(c)])
        note = 'p not an integer'
    elif cat == 'extent_full':
        # the dilated window exactly as large as the padded input: one window per axis (two with ceil_mode)
        c['kh'], c['kw'] = ri(2, 3), ri(2, 3)
        c['dh'], c['dw'] = ri(1, 3), ri(1, 3)
        if op != 'maxpool2d' and coin(0.5):
            c['dh'], c['dw'] = 1, 1
        c['sh'], c['sw'] = ri(1, 3), ri(1, 3)
        eh, ew = eff(c['kh'], c['dh']), eff(c['kw'], c['dw'])
        c['spec'] = pick([0, torch_pad_spec(c), [ri(0, eh - 1), ri(0, ew - 1), ri(0, eh - 1), ri(0, ew - 1)]])
        p = resolve_pads(c['spec'], 1, 1, 1, 1, 1, 1, 1, 1)
        c['H'], c['W'] = eh - p[0] - p[2], ew - p[1] - p[3]
        c['ceil'] = coin(0.3)
        note = 'dilated kernel extent = padded input'
    elif cat == 'fuzz':
        c['kh'], c['kw'] = ri(1, 6), ri(1, 6)
        c['sh'], c['sw'] = ri(1, 6), ri(1, 6)
        if coin(0.4):
            c['dh'], c['dw'] = ri(1, 3), ri(1, 3)
        c['H'], c['W'] = ri(1, 12), ri(1, 12)
        eh, ew = eff(c['kh'], c['dh']), eff(c['kw'], c['dw'])
        c['spec'] = pick([None, torch_pad_spec(c), 'SAME_UPPER', 'SAME_LOWER',
                          [ri(0, min(eh - 1, 5)), ri(0, min(ew - 1, 5)), ri(0, min(eh - 1, 5)), ri(0, min(ew - 1, 5))]])
        c['ceil'] = coin()
        if op == 'avgpool2d':
            c['cip'] = coin()
            if coin(0.2):
                c['divisor_override'] = ri(1, 12)
        if op == 'lppool2d':
            c['p'] = pick([1, 2, 3, 4, 1.5])
    else:
        raise ValueError(cat)
    c['pads'] = resolve_pads(c['spec'], c['H'], c['W'], c['kh'], c['kw'], c['sh'], c['sw'], c['dh'], c['dw'])
    return c, note, kind


def pool_valid(op, c):
    if c['H'] < 1 or c['W'] < 1 or not pool_pads_ok(c):
        return False
    if op == 'maxpool2d' or (op == 'avgpool2d' and not c['cip'] and c['divisor_override'] is None):
        if empty_window(c):
            return False
    return True


# adaptive and global

def make_adaptive(op, category, N, C, H, W, oh, ow, indices, kind='signed', note=None):
    x = values((N, C, H, W), kind)
    attrs = {'output_size': [oh, ow]}
    outputs = {}
    if op == 'adaptive_maxpool2d':
        y, idx = F.adaptive_max_pool2d(x, (oh, ow), True)
        attrs['return_indices'] = indices
        outputs['output'] = tensor_json(y)
        if indices:
            outputs['indices'] = tensor_json(idx, 'int64')
    else:
        outputs['output'] = tensor_json(F.adaptive_avg_pool2d(x, (oh, ow)))
    case = {'op': op, 'category': category, 'attrs': attrs, 'inputs': {'input': tensor_json(x)}, 'outputs': outputs}
    if note:
        case['note'] = note
    return case


def adaptive_draw(op, category):
    N, C = ri(1, 2), ri(1, 4)
    H, W = ri(1, 11), ri(1, 11)
    indices = op == 'adaptive_maxpool2d' and coin(0.5)
    note, kind = None, 'signed'
    if category == 'adaptive':
        oh, ow = ri(1, H), ri(1, W)
    elif category == 'adaptive_even':
        # bins that tile the plane evenly
        oh, ow = ri(1, 4), ri(1, 4)
        H, W = oh * ri(1, 3), ow * ri(1, 3)
    elif category == 'adaptive_upsample':
        H, W = ri(1, 5), ri(1, 5)
        oh, ow = ri(H, 8), ri(W, 8)
        note = 'output larger than the input: overlapping bins'
    elif category == 'adaptive_1x1':
        oh, ow = pick([(1, 1), (1, W), (H, 1)])
    elif category == 'adaptive_ties':
        kind = 'ties'
        indices = op == 'adaptive_maxpool2d'
        oh, ow = ri(1, H), ri(1, W)
        note = 'values in {-1, -0.5, 0, 0.5, 1}: ties, the first in row-major order wins'
    else:
        raise ValueError(category)
    return make_adaptive(op, category, N, C, H, W, oh, ow, indices, kind, note)


def global_draw(op, category):
    N, C = ri(1, 2), ri(1, 4)
    H, W = ri(1, 11), ri(1, 11)
    if category == 'global_1x1':
        H = W = 1
    kind = 'ties' if category == 'global_ties' else 'signed'
    x = values((N, C, H, W), kind)
    y = F.adaptive_max_pool2d(x, 1) if op == 'global_maxpool' else F.adaptive_avg_pool2d(x, 1)
    ref = x.amax(dim=(2, 3), keepdim=True) if op == 'global_maxpool' else x.mean(dim=(2, 3), keepdim=True)
    assert torch.allclose(y, ref, atol=1e-6)
    return {'op': op, 'category': category, 'attrs': {}, 'inputs': {'input': tensor_json(x)}, 'outputs': {'output': tensor_json(y)}}


# ---------------------------------------------------------------------------------------------
# the plan: (op, category, count)

CONV_PLAN = [
    ('basic', 14), ('stride', 14), ('stride_unequal', 10), ('pad_int', 14), ('pad_hw', 14),
    ('pad_ge_kernel', 8), ('same_odd', 10), ('same_even', 10), ('same_rect', 10), ('same_dilated', 10),
    ('same_stride', 16), ('same_lower', 12), ('asym_pads', 18), ('valid', 8), ('dilation', 12),
    ('dilation_full', 10), ('groups', 14), ('depthwise', 14), ('reflect', 12), ('replicate', 12),
    ('circular', 12), ('reflect_max', 6), ('circular_full', 8), ('replicate_wide', 6), ('mode_same', 12),
    ('mode_asym', 12), ('groups_modes', 8), ('combo', 22), ('1x1_input', 10), ('kernel_eq_input', 8),
    ('kernel_eq_input_pad', 8), ('1x1_kernel', 8), ('stride_gt_kernel', 8), ('out_1x1', 8),
    ('row_col', 10), ('rect_kernel', 8), ('fuzz', 24),
]

POOL_PLAN = [
    ('maxpool2d', 'basic', 10), ('maxpool2d', 'stride_rect', 10), ('maxpool2d', 'overlap', 10),
    ('maxpool2d', 'padding', 14), ('maxpool2d', 'dilation', 14), ('maxpool2d', 'ceil', 12),
    ('maxpool2d', 'ceil_pad', 12), ('maxpool2d', 'ceil_drop_last', 10), ('maxpool2d', 'indices', 12),
    ('maxpool2d', 'indices_ceil_dilation', 14), ('maxpool2d', 'all_negative', 10), ('maxpool2d', 'ties', 12),
    ('maxpool2d', 'kernel_eq_input', 6), ('maxpool2d', 'stride_gt_kernel', 8), ('maxpool2d', '1x1_input', 6),
    ('maxpool2d', 'out_1x1', 6), ('maxpool2d', 'onnx_pads', 18), ('maxpool2d', 'big_pads', 12),
    ('maxpool2d', 'same_upper', 10), ('maxpool2d', 'same_lower', 10), ('maxpool2d', 'extent_full', 8),
    ('maxpool2d', 'fuzz', 20),
    ('avgpool2d', 'basic', 8), ('avgpool2d', 'stride_rect', 8), ('avgpool2d', 'overlap', 6),
    ('avgpool2d', 'cip', 20), ('avgpool2d', 'ceil', 8), ('avgpool2d', 'ceil_cip', 20),
    ('avgpool2d', 'ceil_drop_last', 8), ('avgpool2d', 'divisor_override', 16),
    ('avgpool2d', 'kernel_eq_input', 6), ('avgpool2d', 'stride_gt_kernel', 6), ('avgpool2d', '1x1_input', 6),
    ('avgpool2d', 'out_1x1', 4), ('avgpool2d', 'onnx_pads', 18), ('avgpool2d', 'big_pads', 10),
    ('avgpool2d', 'same_upper', 8), ('avgpool2d', 'same_lower', 8), ('avgpool2d', 'onnx_dilation', 14),
    ('avgpool2d', 'extent_full', 6), ('avgpool2d', 'fuzz', 18),
    ('lppool2d', 'p2', 10), ('lppool2d', 'p_odd_nonneg', 10), ('lppool2d', 'stride_rect', 6),
    ('lppool2d', 'lp_onnx', 16), ('lppool2d', 'onnx_dilation', 8), ('lppool2d', 'lp_float_p', 10),
    ('lppool2d', 'ceil', 6), ('lppool2d', 'kernel_eq_input', 4), ('lppool2d', 'fuzz', 10),
    ('adaptive_avgpool2d', 'adaptive', 10), ('adaptive_avgpool2d', 'adaptive_even', 8),
    ('adaptive_avgpool2d', 'adaptive_upsample', 6), ('adaptive_avgpool2d', 'adaptive_1x1', 4),
    ('adaptive_maxpool2d', 'adaptive', 10), ('adaptive_maxpool2d', 'adaptive_even', 8),
    ('adaptive_maxpool2d', 'adaptive_upsample', 6), ('adaptive_maxpool2d', 'adaptive_1x1', 4),
    ('adaptive_maxpool2d', 'adaptive_ties', 6),
    ('global_maxpool', 'global', 8), ('global_maxpool', 'global_1x1', 2), ('global_maxpool', 'global_ties', 2),
    ('global_avgpool', 'global', 8), ('global_avgpool', 'global_1x1', 2),
]

CONV_TRANSPOSE_PLAN = [
    ('basic', 10), ('stride', 12), ('stride_unequal', 10), ('stride_gt_kernel', 10), ('pad_int', 12),
    ('pad_hw', 12), ('pad_crop_most', 8), ('output_padding', 12), ('output_padding_in_pad', 10),
    ('output_padding_ge_stride', 14), ('dilation', 10), ('groups', 12), ('depthwise', 12), ('asym_pads', 14),
    ('asym_pads_op', 12), ('asym_crop_top', 8), ('same', 10), ('same_stride', 12), ('same_op', 12),
    ('same_dilated', 10), ('valid', 4), ('1x1_input', 8), ('1x1_kernel', 6), ('row_col', 8), ('rect_kernel', 6),
    ('combo', 16), ('fuzz', 20),
]


def draw_conv_case(category):
    for _ in range(MAX_TRIES):
        c, note, kind = conv_draw(category)
        if conv_valid(c):
            return make_conv(category, c, note, kind)
    raise RuntimeError(f'conv {category}: no valid draw')


def draw_conv_transpose_case(category):
    for _ in range(MAX_TRIES):
        c, note = conv_transpose_draw(category)
        if conv_transpose_valid(c):
            return make_conv_transpose(category, c, note)
    raise RuntimeError(f'conv_transpose2d {category}: no valid draw')


def draw_pool_case(op, category):
    if op.startswith('adaptive'):
        return adaptive_draw(op, category)
    if op.startswith('global'):
        return global_draw(op, category)
    for _ in range(MAX_TRIES):
        r = pool_draw(op, category)
        if r is None:
            continue
        c, note, kind = r
        if op == 'lppool2d' and category == 'ceil':
            note = 'ONNX LpPool with ceil_mode (PyTorch lp_pool2d scales partial windows wrongly)'
        if pool_valid(op, c):
            return make_pool(op, category, c, note, kind)
    raise RuntimeError(f'{op} {category}: no valid draw')


def finish(case, i):
    seed = SEED_BASE + i
    out = {'id': f"torch_rand_{i:04d}_{case['op']}_{case.pop('category')}", 'source': f'torch:seed={seed}'}
    out.update({k: case[k] for k in ('op', 'attrs', 'inputs', 'outputs')})
    out['tolerance'] = dict(TOL)
    if 'note' in case:
        out['note'] = case['note']
    return out


def write(path, cases):
    with open(path, 'w') as f:
        f.write('[\n')
        f.write(',\n'.join(json.dumps(c, separators=(',', ':'), allow_nan=False) for c in cases))
        f.write('\n]\n')


def main():
    import argparse
    global SEED_BASE, SIZES
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('outdir', nargs='?', default='test/fixtures/torch-random')
    ap.add_argument('--seed-base', type=int, default=SEED_BASE, help='case i uses torch.manual_seed(seed_base + i)')
    ap.add_argument('--scale', type=int, default=1, help='draw every category this many times over (exploration)')
    ap.add_argument('--sizes', choices=sorted(SIZE_PROFILES), default='small')
    args = ap.parse_args()
    SEED_BASE, SIZES = args.seed_base, SIZE_PROFILES[args.sizes]
    os.makedirs(args.outdir, exist_ok=True)
    i = 0
    conv, pool = [], []
    for category, count in CONV_PLAN:
        for _ in range(count * args.scale):
            torch.manual_seed(SEED_BASE + i)
            conv.append(finish(draw_conv_case(category), i))
            i += 1
    for op, category, count in POOL_PLAN:
        for _ in range(count * args.scale):
            torch.manual_seed(SEED_BASE + i)
            pool.append(finish(draw_pool_case(op, category), i))
            i += 1
    # transposed convolutions: their own run of seeds, so the cases above never move
    if i > TRANSPOSE_INDEX:
        raise SystemExit(f'--scale {args.scale}: {i} conv and pool cases reach the transposed seeds at {SEED_BASE + TRANSPOSE_INDEX}')
    transpose = []
    j = TRANSPOSE_INDEX
    for category, count in CONV_TRANSPOSE_PLAN:
        for _ in range(count * args.scale):
            torch.manual_seed(SEED_BASE + j)
            transpose.append(finish(draw_conv_transpose_case(category), j))
            j += 1
    write(os.path.join(args.outdir, 'torch_random_conv.json'), conv)
    write(os.path.join(args.outdir, 'torch_random_pool.json'), pool)
    write(os.path.join(args.outdir, 'torch_random_conv_transpose.json'), transpose)
    counts = {}
    for c in conv + pool + transpose:
        counts[c['op']] = counts.get(c['op'], 0) + 1
    print(f'{len(conv) + len(pool) + len(transpose)} cases, seeds {SEED_BASE}..{SEED_BASE + i - 1} and '
          f'{SEED_BASE + TRANSPOSE_INDEX}..{SEED_BASE + j - 1}, torch {torch.__version__}: {counts}')


if __name__ == '__main__':
    main()
