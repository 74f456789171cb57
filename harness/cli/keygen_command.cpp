// `camleak keygen --out KEY.pem`: a fresh Ed25519 key pair for signing certification records:
// KEY.pem (the private key, PKCS#8, mode 0600) and KEY.pub beside it (the public key, the one to
// hand to whoever verifies). Exit 0, or 2 when either file exists (nothing is overwritten, nothing
// is written) or cannot be created.
#include <cstdio>
#include <memory>
#include <string>

#include "harness/certify/signing.hpp"
#include "harness/cli/commands.hpp"

namespace camleak::cli {

void add_keygen_command(CLI::App& app, CommandResult& result) {
  auto* cmd =
      app.add_subcommand("keygen", "Make an Ed25519 key pair for signing report directories");
  auto out = std::make_shared<std::string>();
  cmd->add_option("--out", *out,
                  "Private key file to create (PKCS#8 PEM, mode 0600); the public key is written "
                  "beside it, with the extension .pub")
      ->required();
  cmd->callback([out, &result] {
    const certify::KeyPairFiles files = certify::generate_key_pair_files(*out);
    std::printf("private key: %s\npublic key:  %s\nfingerprint: %s\n", files.private_key.c_str(),
                files.public_key.c_str(), files.fingerprint.c_str());
    result.exit_code = 0;
  });
}

}  // namespace camleak::cli
