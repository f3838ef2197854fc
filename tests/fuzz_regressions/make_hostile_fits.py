# Writes the hand-made hostile FITS inputs of tests/fuzz_regressions/fits_ogip (and their .expect
# files): python3 tests/fuzz_regressions/make_hostile_fits.py tests/fuzz_regressions/fits_ogip
import os, struct, sys
out = sys.argv[1]
os.makedirs(out, exist_ok=True)

def card(k, v=None):
    if v is None:
        s = k.ljust(80)
    else:
        if isinstance(v, bool):
            vs = 'T' if v else 'F'
            vs = vs.rjust(20)
        elif isinstance(v, str):
            vs = ("'" + v.ljust(8) + "'").ljust(20)
        else:
            vs = str(v).rjust(20)
        s = (k.ljust(8) + '= ' + vs).ljust(80)
    assert len(s) == 80, s
    return s.encode()

def header(cards):
    b = b''.join(card(*c) if isinstance(c, tuple) else card(c) for c in cards) + card('END')
    return b + b' ' * ((-len(b)) % 2880)

def pad(data):
    return data + b'\0' * ((-len(data)) % 2880)

primary = header([('SIMPLE', True), ('BITPIX', 8), ('NAXIS', 0)])

def bintable(naxis1, naxis2, cols, extname, pcount=0, extra=()):
    cs = [('XTENSION', 'BINTABLE'), ('BITPIX', 8), ('NAXIS', 2), ('NAXIS1', naxis1),
          ('NAXIS2', naxis2), ('PCOUNT', pcount), ('GCOUNT', 1), ('TFIELDS', len(cols))]
    for i, (name, form) in enumerate(cols, 1):
        cs += [('TTYPE%d' % i, name), ('TFORM%d' % i, form)]
    cs += [('EXTNAME', extname)] + list(extra)
    return header(cs)

def write(name, data, expect):
    with open(os.path.join(out, name), 'wb') as f:
        f.write(data)
    with open(os.path.join(out, name + '.expect'), 'w') as f:
        f.write('\n'.join(expect) + '\n')

spec_cols = [('CHANNEL', 'J'), ('COUNTS', 'J')]
good_spec_data = pad(b''.join(struct.pack('>ii', c, 10 * c) for c in range(1, 5)))

write('zero_length.fits', b'', ['only 0 bytes'])
write('truncated_header.fits', primary[:2000], ['only 2000 bytes'])
write('no_end_card.fits', header([('SIMPLE', True), ('BITPIX', 8), ('NAXIS', 0)])[:80 * 3] + b' ' * 2640,
      ['no END card'])
write('absurd_naxis2.fits',
      primary + bintable(8, 999999999999, spec_cols, 'SPECTRUM', extra=[('EXPOSURE', 1.0)]) + good_spec_data,
      ['HDU 1', 'truncated', 'NAXIS2 = 999999999999'])
write('absurd_pcount.fits',
      primary + bintable(8, 4, spec_cols, 'SPECTRUM', pcount=9000000000000000000, extra=[('EXPOSURE', 1.0)]) + good_spec_data,
      ['truncated', 'PCOUNT = 9000000000000000000'])
write('negative_naxis.fits', header([('SIMPLE', True), ('BITPIX', 8), ('NAXIS', -1)]),
      ['NAXIS = -1 is out of range'])
write('huge_naxis.fits', header([('SIMPLE', True), ('BITPIX', 8), ('NAXIS', 1000000000000)]),
      ['NAXIS = 1000000000000 is out of range'])
write('negative_naxis2.fits',
      primary + bintable(8, -4, spec_cols, 'SPECTRUM', extra=[('EXPOSURE', 1.0)]) + good_spec_data,
      ['NAXIS2 = -4 is negative'])
write('bad_bitpix.fits', header([('SIMPLE', True), ('BITPIX', 7), ('NAXIS', 0)]),
      ['BITPIX = 7'])
img = pad(b''.join(struct.pack('>h', i) for i in range(100)))
write('non_ogip_image.fits',
      header([('SIMPLE', True), ('BITPIX', 16), ('NAXIS', 2), ('NAXIS1', 10), ('NAXIS2', 10)]) + img,
      ['no SPECTRUM extension', 'no matrix', 'no SPECRESP extension'])
# A Type II spectrum whose rows all point at one big heap: decoding would expand 38 kB to
# hundreds of MB of cells.
nrows, heap = 1000, 30000
rows = b''.join(struct.pack('>ii', heap, 0) for _ in range(nrows))
write('heap_reuse.fits',
      primary + bintable(8, nrows, [('COUNTS', 'PB(30000)')], 'SPECTRUM', pcount=heap,
                         extra=[('EXPOSURE', 1.0), ('HDUCLAS4', 'TYPEII')]) + pad(rows + b'\1' * heap),
      ['reuse the heap'])
# A response whose tiny compressed matrix declares a 8000 x 8000 dense matrix.
n = 8000
eb = bintable(2, n, [('E_MIN', 'B'), ('E_MAX', 'B')], 'EBOUNDS')
mt = bintable(2, n, [('ENERG_LO', 'B'), ('ENERG_HI', 'B'), ('F_CHAN', '0B'), ('N_CHAN', '0B'),
                     ('MATRIX', '0E')], 'SPECRESP MATRIX')
rowsb = pad(b''.join(bytes([1, 2]) for _ in range(n)))
write('huge_dense_matrix.fits', primary + mt + rowsb + eb + rowsb, ['too large to hold densely'])
# A variable-length column with repeat 0 at the very end of the file.
write('zero_repeat_var.fits',
      primary + bintable(0, 3, [('COUNTS', '0PE')], 'SPECTRUM', extra=[('EXPOSURE', 1.0), ('HDUCLAS4', 'TYPEII')]),
      ['no channels'])
