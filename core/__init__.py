"""The bottom layer: the programme's shared vocabulary, French text and number formatting, and the
one located-error type. Every other package may import it; it imports none of them."""
