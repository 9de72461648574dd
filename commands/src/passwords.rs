//! Password hashing with Argon2id at the OWASP-recommended parameters
//! (m = 19 MiB, t = 2, p = 1), stored as PHC strings. Hashing runs on the
//! blocking pool so it never stalls the async workers.

use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::OsRng;

pub const OWASP_MEMORY_KIB: u32 = 19_456;
pub const OWASP_ITERATIONS: u32 = 2;
pub const OWASP_PARALLELISM: u32 = 1;

#[derive(Clone, Debug)]
pub struct PasswordHasher {
    params: Params,
}

impl Default for PasswordHasher {
    fn default() -> Self {
        Self::owasp()
    }
}

impl PasswordHasher {
    pub fn owasp() -> Self {
        let params = Params::new(OWASP_MEMORY_KIB, OWASP_ITERATIONS, OWASP_PARALLELISM, None)
            .unwrap_or_else(|_| Params::default());
        Self { params }
    }

    fn argon2(&self) -> Argon2<'static> {
        Argon2::new(Algorithm::Argon2id, Version::V0x13, self.params.clone())
    }

    pub async fn hash(&self, password: String) -> anyhow::Result<String> {
        let argon2 = self.argon2();
        tokio::task::spawn_blocking(move || {
            let salt = SaltString::generate(&mut OsRng);
            argon2
                .hash_password(password.as_bytes(), &salt)
                .map(|h| h.to_string())
                .map_err(|e| anyhow::anyhow!("password hashing failed: {e}"))
        })
        .await?
    }

    /// Constant-time verification against a stored PHC string.
    pub async fn verify(&self, phc: String, password: String) -> bool {
        let argon2 = self.argon2();
        tokio::task::spawn_blocking(move || {
            PasswordHash::new(&phc)
                .is_ok_and(|hash| argon2.verify_password(password.as_bytes(), &hash).is_ok())
        })
        .await
        .unwrap_or(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_are_argon2id_at_or_above_the_owasp_minimum() {
        let hasher = PasswordHasher::owasp();
        let phc = hasher.hash("Passw0rd!".into()).await.unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(hasher.verify(phc.clone(), "Passw0rd!".into()).await);
        assert!(!hasher.verify(phc, "passw0rd!".into()).await);
    }
}
