"""PTEs: the approved planning documents OTs come from."""
