"""One process of a torchrun launch: join the group (gloo), all-reduce rank + 1, print what it sees."""
import json
import os

import torch
import torch.distributed as dist

dist.init_process_group("gloo")
total = torch.tensor([dist.get_rank() + 1.0])
dist.all_reduce(total)
keys = ["RANK", "WORLD_SIZE", "LOCAL_RANK", "GROUP_RANK", "SLURM_JOB_ID", "SLURM_PROCID"]
# one write per line: torchrun runs its workers unbuffered (-u), where print() writes the
# text and its newline apart and srun can interleave two processes' lines between them
os.write(1, (json.dumps({**{k: os.environ.get(k) for k in keys}, "sum": total.item()}) + "\n").encode())
dist.destroy_process_group()
