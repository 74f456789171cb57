// Fuzzes everything that reads identity SEIs from the network: Annex-B splitting, emulation
// prevention removal, the SEI message walk, the identity payload parser and MAC verification.
// Besides "no crash, no out-of-bounds read", it checks two properties:
//   - escape_rbsp/unescape_rbsp round-trip any bytes;
//   - a parsed identity re-serialises to an SEI that parses to the same identity.
#include <cstdint>
#include <cstdlib>

#include "emulators/h264/nal.hpp"
#include "emulators/media/crypto.hpp"
#include "emulators/media/identity_sei.hpp"

using namespace camleak::media;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const ByteView input(data, size);

  if (h264::unescape_rbsp(h264::escape_rbsp(input)) != Bytes(input.begin(), input.end()))
    std::abort();

  if (const auto sei = parse_identity_sei(input)) {
    const Bytes nal = build_identity_sei_nal(serialize_identity_fields(sei->fields), sei->mac);
    const auto again = parse_identity_sei(nal);
    if (!again || !(again->fields == sei->fields) || again->mac != sei->mac) std::abort();
  }

  static HmacSha256 hmac(run_key_from_seed(1));
  static SliceHasher hasher;
  const std::vector<Bytes> nals = h264::split_annexb(input);
  (void)read_sei_identity(nals, hmac, hasher);
  return 0;
}
