// placeholder: the cuDNN backend is being written
