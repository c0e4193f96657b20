import { defineConfig } from 'vite';

// React without @vitejs/plugin-react (it needs Vite 8; we pin Vite 7, see DESIGN.md): esbuild compiles JSX.
export default defineConfig({
  root: __dirname,
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: 'dist',
    sourcemap: true,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      // Mantine and React Query mark their modules "use client" for React Server Components; a browser
      // bundle ignores it (and Rollup, locating that directive through their source maps, warns again).
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        if (warning.code === 'SOURCEMAP_ERROR' && warning.message.includes("Can't resolve original location"))
          return;
        warn(warning);
      },
    },
  },
  server: { proxy: { '/api': 'http://localhost:8080', '/dev/outbox': 'http://localhost:8080' } },
});
