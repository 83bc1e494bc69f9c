"""The commands of servant, one module per feature; ``cli`` registers them."""
