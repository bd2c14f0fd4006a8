/**
 * Sign-up's hook for an address that already has an account. The sign-up page answers the same either way (no
 * account enumeration), so the owner is the only one who should hear about it: once PinPoint sends e-mail, this
 * tells them someone tried to sign up with their address and how to sign in or reset the password. Until then it
 * only notes the event, without the address.
 */
export async function notifyExistingAccountOwner(email: string): Promise<void> {
  void email;
  console.info("signup: an account already exists for the submitted address; no account was created (no e-mail is sent yet)");
}
