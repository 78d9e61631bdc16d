"""ECG vision transformer: per-lead patch tokens, lead + time embeddings, pre-norm encoder.

Written with plain Linear/LayerNorm/matmul/softmax ops (no nn.MultiheadAttention fast path) so
that the ONNX export is a straightforward graph for opset 17.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class Attention(nn.Module):
    def __init__(self, dim, heads, drop=0.0):
        super().__init__()
        self.h, self.dh = heads, dim // heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)
        self.drop = nn.Dropout(drop)

    def forward(self, x):
        b, t, d = x.shape
        q, k, v = self.qkv(x).reshape(b, t, 3, self.h, self.dh).permute(2, 0, 3, 1, 4).unbind(0)
        a = torch.matmul(q, k.transpose(-2, -1)) * (1.0 / math.sqrt(self.dh))
        a = self.drop(a.softmax(dim=-1))
        y = torch.matmul(a, v).transpose(1, 2).reshape(b, t, d)
        return self.proj(y)


class Block(nn.Module):
    def __init__(self, dim, heads, mlp=2, drop=0.0):
        super().__init__()
        self.n1, self.n2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.attn = Attention(dim, heads, drop)
        self.mlp = nn.Sequential(nn.Linear(dim, mlp * dim), nn.GELU(), nn.Dropout(drop),
                                 nn.Linear(mlp * dim, dim))
        self.drop = nn.Dropout(drop)

    def forward(self, x):
        x = x + self.drop(self.attn(self.n1(x)))
        return x + self.drop(self.mlp(self.n2(x)))


class EcgViT(nn.Module):
    """Input (N, 12, L) ECG in mV -> per-lead z-score inside the graph -> tokens (N, 12*P, dim),
    P = L / patch; each lead's log amplitude is embedded and added to its tokens."""

    def __init__(self, leads=12, length=1000, patch=50, dim=64, depth=3, heads=4, mlp=2, drop=0.1):
        super().__init__()
        self.leads, self.patch, self.np = leads, patch, length // patch
        self.embed = nn.Linear(patch, dim)
        self.amp = nn.Linear(1, dim)  # per-lead log amplitude -> added to that lead's tokens
        self.lead_emb = nn.Parameter(torch.zeros(1, leads, 1, dim))
        self.time_emb = nn.Parameter(torch.zeros(1, 1, self.np, dim))
        nn.init.normal_(self.lead_emb, std=0.02)
        nn.init.normal_(self.time_emb, std=0.02)
        self.blocks = nn.ModuleList([Block(dim, heads, mlp, drop) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim)
        self.dim = dim

    def normalize(self, x):
        """x: (N,12,L) in mV, as the gateway feeds it. Per-lead z-score (population std, +1e-6),
        and the per-lead amplitude log(std + 1e-3 mV) that the z-score would otherwise discard."""
        mu = x.mean(dim=-1, keepdim=True)
        sd = torch.sqrt(((x - mu) ** 2).mean(dim=-1, keepdim=True))
        return (x - mu) / (sd + 1e-6), torch.log(sd + 1e-3)

    def tokens(self, z, amp):
        # (N,12,L) -> (N,12,P,patch) -> (N,12,P,dim) + lead, time and lead-amplitude embeddings
        t = self.embed(z.reshape(-1, self.leads, self.np, self.patch))
        t = t + self.lead_emb + self.time_emb + self.amp(amp).unsqueeze(2)
        return t.reshape(-1, self.leads * self.np, self.dim)

    def encode(self, t):
        for b in self.blocks:
            t = b(t)
        return self.norm(t)


class MaskedAutoencoder(nn.Module):
    """Masked-patch reconstruction (MAE-style): the encoder sees only the visible tokens; a light
    decoder gets encoder output + mask tokens + its own position embeddings and predicts the
    z-scored samples of every masked patch."""

    def __init__(self, enc: EcgViT, dec_dim=64, dec_depth=1, heads=4, mask_ratio=0.75):
        super().__init__()
        self.enc, self.mask_ratio = enc, mask_ratio
        L, P = enc.leads, enc.np
        self.to_dec = nn.Linear(enc.dim, dec_dim)
        self.mask_tok = nn.Parameter(torch.zeros(1, 1, dec_dim))
        self.dec_pos = nn.Parameter(torch.randn(1, L * P, dec_dim) * 0.02)
        self.dec = nn.ModuleList([Block(dec_dim, heads, 2, 0.0) for _ in range(dec_depth)])
        self.dec_norm = nn.LayerNorm(dec_dim)
        self.out = nn.Linear(dec_dim, enc.patch)

    def forward(self, x):
        enc = self.enc
        n, L, P = x.shape[0], enc.leads, enc.np
        z, amp = enc.normalize(x)
        tok = enc.tokens(z, amp)  # (n, L*P, d)
        # Lead-wise random masking: the same number of patches is masked in every lead, at
        # positions drawn independently per lead, so every lead must be reconstructed.
        keep = int(round(P * (1 - self.mask_ratio)))
        noise = torch.rand(n, L, P, device=x.device)
        order = noise.argsort(dim=-1)
        vis_idx = order[:, :, :keep] + torch.arange(L, device=x.device)[None, :, None] * P
        vis_idx = vis_idx.reshape(n, -1)  # (n, L*keep)
        mask = torch.ones(n, L * P, device=x.device)
        mask.scatter_(1, vis_idx, 0.0)
        d = tok.shape[-1]
        vis = torch.gather(tok, 1, vis_idx[..., None].expand(-1, -1, d))
        h = self.to_dec(enc.encode(vis))
        full = self.mask_tok.expand(n, L * P, -1).clone()
        full.scatter_(1, vis_idx[..., None].expand(-1, -1, h.shape[-1]), h)
        full = full + self.dec_pos
        for b in self.dec:
            full = b(full)
        pred = self.out(self.dec_norm(full))  # (n, L*P, patch)
        target = z.reshape(n, L * P, enc.patch)  # reconstruct the z-scored samples
        per_tok = ((pred - target) ** 2).mean(-1)
        return (per_tok * mask).sum() / mask.sum()


class MultiTaskHead(nn.Module):
    """Mean-pooled encoder -> 8 outputs: [sex_male, age_years, norm, mi, sttc, cd, hyp, afib].

    Binary outputs are logits (sigmoid in the manifest). The age output is in years: the linear
    head predicts a standardised age that is de-standardised inside the graph.
    """

    def __init__(self, enc: EcgViT, n_out=8, age_index=1, age_mean=60.0, age_std=17.0, drop=0.1):
        super().__init__()
        self.enc = enc
        self.drop = nn.Dropout(drop)
        self.head = nn.Linear(enc.dim, n_out)
        self.age_index = age_index
        scale = torch.ones(n_out)
        shift = torch.zeros(n_out)
        scale[age_index], shift[age_index] = age_std, age_mean
        self.register_buffer("scale", scale)
        self.register_buffer("shift", shift)

    def forward(self, x):
        h = self.enc.encode(self.enc.tokens(*self.enc.normalize(x))).mean(dim=1)
        return self.head(self.drop(h)) * self.scale + self.shift
