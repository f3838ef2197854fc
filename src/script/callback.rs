//! Rhai closures called back from Rust (user overrides of the likelihood and prior).
//!
//! A callback is captured when the script hands it over: its captured variables are copied
//! (so parallel sampler threads do not contend for Rhai's locks) and the script's function
//! library is kept, so it can run after the script line that created it has finished. Each
//! call is one interpreter call on the process-wide engine: microseconds, not nanoseconds.

use super::model::call_engine;
use crate::error::{Error, Result};
use rhai::{Dynamic, FnPtr, FuncArgs, Module, NativeCallContext, AST};

/// A captured script closure.
pub struct Callback {
    name: String,
    func: FnPtr,
    lib: AST,
}

impl Callback {
    /// Capture `func` (named `name` in error messages) from the calling script.
    pub fn capture(ctx: &NativeCallContext, mut func: FnPtr, name: &str) -> Callback {
        for v in func.iter_curry_mut() {
            *v = v.flatten_clone();
        }
        let mut lib = Module::new();
        for ns in ctx.iter_namespaces() {
            lib.fill_with(ns);
        }
        Callback {
            name: name.to_string(),
            func,
            lib: AST::new_from_module(lib),
        }
    }

    /// Call it; a script error becomes an error naming the callback.
    pub fn call(&self, args: impl FuncArgs) -> Result<Dynamic> {
        self.func
            .call::<Dynamic>(call_engine(), &self.lib, args)
            .map_err(|e| Error::new(format!("{} failed: {e}", self.name)))
    }
}
