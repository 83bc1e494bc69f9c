"""servant: a command-line occasion tracker."""
