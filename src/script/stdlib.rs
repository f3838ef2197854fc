//! The standard library: Rhai modules embedded in the binary, importable by name.
//!
//! `import "util" as u;` finds `stdlib/util.rhai` inside the binary; any other
//! path falls back to a file relative to the current directory (as Rhai does).

use rhai::module_resolvers::{FileModuleResolver, ModuleResolversCollection};
use rhai::{Engine, EvalAltResult, Module, ModuleResolver, Position, Scope, Shared};

/// Name and source of every embedded module.
pub const MODULES: &[(&str, &str)] = &[
    ("util", include_str!("../../stdlib/util.rhai")),
    ("grb", include_str!("../../stdlib/grb.rhai")),
    ("compare", include_str!("../../stdlib/compare.rhai")),
    ("sim", include_str!("../../stdlib/sim.rhai")),
];

/// The source of an embedded module.
pub fn source(name: &str) -> Option<&'static str> {
    MODULES.iter().find(|(n, _)| *n == name).map(|(_, s)| *s)
}

/// Resolves `import "name"` to an embedded module.
#[derive(Debug, Default, Clone, Copy)]
pub struct StdlibResolver;

impl ModuleResolver for StdlibResolver {
    fn resolve(
        &self,
        engine: &Engine,
        _source: Option<&str>,
        path: &str,
        pos: Position,
    ) -> Result<Shared<Module>, Box<EvalAltResult>> {
        let Some(src) = source(path) else {
            return Err(EvalAltResult::ErrorModuleNotFound(path.to_string(), pos).into());
        };
        let mut ast = engine.compile(src).map_err(|e| {
            Box::new(EvalAltResult::ErrorInModule(
                path.to_string(),
                Box::new(e.into()),
                pos,
            ))
        })?;
        ast.set_source(format!("stdlib/{path}.rhai"));
        let module = Module::eval_ast_as_new(Scope::new(), &ast, engine)
            .map_err(|e| Box::new(EvalAltResult::ErrorInModule(path.to_string(), e, pos)))?;
        Ok(module.into())
    }
}

/// The resolver installed in every engine: the stdlib first, then files.
pub fn resolver() -> ModuleResolversCollection {
    let mut c = ModuleResolversCollection::new();
    c.push(StdlibResolver);
    c.push(FileModuleResolver::new());
    c
}
